package dev.icld.selection;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The layer-selecting network's shape and what it was trained for (selector.json).
 *
 * @param input what it reads
 * @param inputChannels C_in: the feature encoder's last conv width, or the number of mel bins
 * @param hiddenChannels the conv's output channels (64 by design)
 * @param pooling how the conv's outputs are summarised over the frames ("mean" where a
 *     selector.json predates the field)
 * @param budgetEmbedding E, the size of the learned embedding of the budget k
 * @param layers L, the backbone's layer count: one logit and one budget embedding per layer
 * @param trainedBudgets the budgets k it was trained on (empty before training)
 * @param adaptiveThresholds per budget k, the gate threshold calibrated for adaptive mode
 */
public record SelectorConfig(
    SelectorInputKind input,
    int inputChannels,
    int hiddenChannels,
    SelectorPooling pooling,
    int budgetEmbedding,
    int layers,
    List<Integer> trainedBudgets,
    Map<Integer, Double> adaptiveThresholds) {

  public static final int DEFAULT_HIDDEN = 64;
  public static final int DEFAULT_BUDGET_EMBEDDING = 16;
  public static final SelectorPooling DEFAULT_POOLING = SelectorPooling.MEAN;
  /** The conv's kernel; padding 1 keeps the frame count. */
  public static final int KERNEL = 3;

  public SelectorConfig {
    trainedBudgets = List.copyOf(trainedBudgets);
    adaptiveThresholds = Map.copyOf(new TreeMap<>(adaptiveThresholds));
    List<String> problems = new ArrayList<>();
    if (input == null) {
      problems.add("input kind is missing");
    }
    if (pooling == null) {
      problems.add("pooling is missing");
    }
    if (inputChannels < 1 || hiddenChannels < 1 || budgetEmbedding < 1 || layers < 1) {
      problems.add("input_channels, hidden_channels, budget_embedding and layers must be positive, got "
          + inputChannels + ", " + hiddenChannels + ", " + budgetEmbedding + ", " + layers);
    }
    for (int k : trainedBudgets) {
      if (k < 1 || k > layers) {
        problems.add("trained budget " + k + " outside 1.." + layers);
      }
    }
    for (Map.Entry<Integer, Double> t : adaptiveThresholds.entrySet()) {
      if (t.getKey() < 1 || t.getKey() > layers || !(t.getValue() >= 0 && t.getValue() <= 1)) {
        problems.add("adaptive threshold " + t.getValue() + " for budget " + t.getKey()
            + " must be in [0, 1] for a budget in 1.." + layers);
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("selector config: " + String.join("; ", problems));
    }
  }

  /** An untrained selector of the default size and pooling. */
  public static SelectorConfig of(SelectorInputKind input, int inputChannels, int layers) {
    return of(input, inputChannels, layers, DEFAULT_POOLING);
  }

  /** An untrained selector of the default size. */
  public static SelectorConfig of(SelectorInputKind input, int inputChannels, int layers,
      SelectorPooling pooling) {
    return new SelectorConfig(input, inputChannels, DEFAULT_HIDDEN, pooling, DEFAULT_BUDGET_EMBEDDING,
        layers, List.of(), Map.of());
  }

  /** The pooled vector's width, the output layer's input beside the budget embedding. */
  public int pooledWidth() {
    return pooling.width(hiddenChannels);
  }

  public SelectorConfig withTrainedBudgets(List<Integer> budgets) {
    return new SelectorConfig(input, inputChannels, hiddenChannels, pooling, budgetEmbedding, layers,
        budgets, adaptiveThresholds);
  }

  public SelectorConfig withAdaptiveThreshold(int keep, double threshold) {
    Map<Integer, Double> thresholds = new TreeMap<>(adaptiveThresholds);
    thresholds.put(keep, threshold);
    return new SelectorConfig(input, inputChannels, hiddenChannels, pooling, budgetEmbedding, layers,
        trainedBudgets, thresholds);
  }

  /** Same network shape (so the same parameters fit). */
  boolean sameArchitecture(SelectorConfig other) {
    return input == other.input && inputChannels == other.inputChannels
        && hiddenChannels == other.hiddenChannels && pooling == other.pooling
        && budgetEmbedding == other.budgetEmbedding && layers == other.layers;
  }

  public String toJson() {
    JsonObject o = new JsonObject();
    o.addProperty("input", input.label());
    o.addProperty("input_channels", inputChannels);
    o.addProperty("hidden_channels", hiddenChannels);
    o.addProperty("pooling", pooling.label());
    o.addProperty("kernel", KERNEL);
    o.addProperty("budget_embedding", budgetEmbedding);
    o.addProperty("layers", layers);
    JsonArray budgets = new JsonArray();
    trainedBudgets.forEach(budgets::add);
    o.add("trained_budgets", budgets);
    JsonObject thresholds = new JsonObject();
    new TreeMap<>(adaptiveThresholds).forEach((k, t) -> thresholds.addProperty(k.toString(), t));
    o.add("adaptive_thresholds", thresholds);
    return new GsonBuilder().setPrettyPrinting().create().toJson(o) + "\n";
  }

  /**
   * @param source names the file in error messages
   * @throws IllegalArgumentException naming {@code source} and the problem
   */
  public static SelectorConfig fromJson(String json, String source) {
    try {
      JsonObject o = JsonParser.parseString(json).getAsJsonObject();
      if (o.has("kernel") && o.get("kernel").getAsInt() != KERNEL) {
        throw new IllegalArgumentException("kernel must be " + KERNEL + ", got " + o.get("kernel"));
      }
      List<Integer> budgets = new ArrayList<>();
      if (o.has("trained_budgets")) {
        for (JsonElement k : o.getAsJsonArray("trained_budgets")) {
          budgets.add(k.getAsInt());
        }
      }
      Map<Integer, Double> thresholds = new TreeMap<>();
      if (o.has("adaptive_thresholds")) {
        for (Map.Entry<String, JsonElement> t : o.getAsJsonObject("adaptive_thresholds").entrySet()) {
          thresholds.put(Integer.parseInt(t.getKey()), t.getValue().getAsDouble());
        }
      }
      return new SelectorConfig(SelectorInputKind.fromLabel(required(o, "input").getAsString()),
          required(o, "input_channels").getAsInt(), required(o, "hidden_channels").getAsInt(),
          o.has("pooling") ? SelectorPooling.fromLabel(o.get("pooling").getAsString())
              : SelectorPooling.MEAN,
          required(o, "budget_embedding").getAsInt(), required(o, "layers").getAsInt(), budgets,
          thresholds);
    } catch (JsonParseException | IllegalStateException | UnsupportedOperationException
        | NumberFormatException e) {
      throw new IllegalArgumentException(source + ": not a valid selector config: " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
    }
  }

  private static JsonElement required(JsonObject o, String field) {
    JsonElement e = o.get(field);
    if (e == null || e.isJsonNull()) {
      throw new IllegalArgumentException("missing field \"" + field + "\"");
    }
    return e;
  }
}
