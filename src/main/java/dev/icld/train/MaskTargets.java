package dev.icld.train;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.icld.data.LabelVocabulary;
import dev.icld.files.FileDigests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Per budget k, a target k-layer mask per class label, for the selector to distil: read from
 * icld oracle's oracle.json, whose budgets carry the class-conditional oracle's masks chosen on
 * dev as {@value #FIELD} (label to sorted layer list). A label or budget without a mask has no
 * target.
 */
public final class MaskTargets {
  /** The field of each budget in oracle.json that holds the class masks. */
  public static final String FIELD = "class_masks";

  public static final MaskTargets NONE = new MaskTargets("none", Map.of());

  private final String source;
  /** Budget k, then label index, then the 0/1 mask over layers. */
  private final Map<Integer, Map<Integer, float[]>> masks;

  private MaskTargets(String source, Map<Integer, Map<Integer, float[]>> masks) {
    this.source = source;
    this.masks = masks;
  }

  /**
   * Reads and checks the class masks of an oracle.json against the model they are to train a
   * selector for.
   *
   * @param task the model's task id, which the file's "task" must equal
   * @param labels the model's head labels, which every class of the file must be one of
   * @param layers L: every mask must keep exactly k distinct layers in 0..L-1
   * @throws IOException naming the file and the problem
   */
  public static MaskTargets read(Path file, String task, LabelVocabulary labels, int layers)
      throws IOException {
    List<String> problems = new ArrayList<>();
    Map<Integer, Map<Integer, float[]>> masks;
    try {
      JsonObject root = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8))
          .getAsJsonObject();
      masks = parse(root, task, labels, layers, problems);
    } catch (JsonParseException | IllegalStateException | ClassCastException
        | UnsupportedOperationException | NumberFormatException e) {
      throw new IOException(file + ": not an oracle.json with " + FIELD + ": " + e.getMessage(),
          e);
    }
    if (problems.isEmpty() && masks.isEmpty()) {
      problems.add("no budget has " + FIELD + " (written by icld oracle)");
    }
    if (!problems.isEmpty()) {
      throw new IOException(file + ": mask targets do not fit the model: "
          + String.join("; ", problems));
    }
    return new MaskTargets(file + " (sha256 " + FileDigests.sha256(file) + ")", masks);
  }

  /** The masks by budget and label index; what does not fit the model goes to {@code problems}. */
  private static Map<Integer, Map<Integer, float[]>> parse(JsonObject root, String task,
      LabelVocabulary labels, int layers, List<String> problems) {
    String fileTask = root.has("task") ? root.get("task").getAsString() : null;
    if (!task.equals(fileTask)) {
      problems.add("its task is " + fileTask + ", the model's is " + task);
    }
    Map<Integer, Map<Integer, float[]>> masks = new TreeMap<>();
    JsonArray budgets = root.has("budgets") ? root.getAsJsonArray("budgets") : new JsonArray();
    for (JsonElement element : budgets) {
      JsonObject budget = element.getAsJsonObject();
      if (!budget.has(FIELD)) {
        continue;
      }
      if (!budget.has("budget")) {
        problems.add("a budget with " + FIELD + " lacks its \"budget\"");
        continue;
      }
      int keep = budget.get("budget").getAsInt();
      if (keep < 1 || keep > layers) {
        problems.add("budget " + keep + " outside 1.." + layers);
        continue;
      }
      Map<Integer, float[]> byLabel = new TreeMap<>();
      for (Map.Entry<String, JsonElement> entry : budget.getAsJsonObject(FIELD).entrySet()) {
        String label = entry.getKey();
        if (!labels.contains(label)) {
          problems.add("class \"" + label + "\" is not one of the model's labels "
              + labels.labels());
          continue;
        }
        TreeSet<Integer> kept = new TreeSet<>();
        entry.getValue().getAsJsonArray().forEach(layer -> kept.add(layer.getAsInt()));
        int size = entry.getValue().getAsJsonArray().size();
        if (size != keep || kept.size() != keep || kept.first() < 0 || kept.last() >= layers) {
          problems.add("k = " + keep + ", class \"" + label + "\": mask " + entry.getValue()
              + " must keep exactly " + keep + " distinct layers in 0.." + (layers - 1));
          continue;
        }
        float[] mask = new float[layers];
        kept.forEach(layer -> mask[layer] = 1f);
        byLabel.put(labels.indexOf(label), mask);
      }
      masks.put(keep, byLabel);
    }
    return masks;
  }

  /** The 0/1 target mask over layers for a label at budget k, or null where there is none. */
  public float[] target(int keep, int label) {
    return masks.getOrDefault(keep, Map.of()).get(label);
  }

  /** The budgets that have targets. */
  public List<Integer> budgets() {
    return List.copyOf(masks.keySet());
  }

  /** Where the targets come from, with the file's digest, for the run's recorded options. */
  public String source() {
    return source;
  }
}
