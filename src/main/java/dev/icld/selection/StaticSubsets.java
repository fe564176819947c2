package dev.icld.selection;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The static-subset baseline's table: for every budget k in 1..L, one fixed set of layers and its
 * dev score. Stored beside the model as {@value #FILE}.
 */
public final class StaticSubsets {
  public static final String FILE = "static_subsets.json";

  /** One budget's subset and the dev score it reached (higher is better). */
  public record Entry(boolean[] mask, double score) {
    public Entry {
      mask = mask.clone();
    }

    @Override
    public boolean[] mask() {
      return mask.clone();
    }
  }

  private final int layers;
  private final String search;
  private final Map<Integer, Entry> byBudget;

  /**
   * @param layers L
   * @param search how the subsets were found ("greedy-drop", "greedy-grow")
   * @param byBudget an entry for every k in 1..L, with exactly k layers
   */
  public StaticSubsets(int layers, String search, Map<Integer, Entry> byBudget) {
    for (int k = 1; k <= layers; k++) {
      Entry entry = byBudget.get(k);
      if (entry == null) {
        throw new IllegalArgumentException("static subsets lack budget " + k + " of " + layers);
      }
      if (entry.mask.length != layers || count(entry.mask) != k) {
        throw new IllegalArgumentException("the static subset for budget " + k
            + " must keep " + k + " of " + layers + " layers");
      }
    }
    if (byBudget.size() != layers) {
      throw new IllegalArgumentException("static subsets hold budgets outside 1.." + layers);
    }
    this.layers = layers;
    this.search = search;
    this.byBudget = new TreeMap<>(byBudget);
  }

  static int count(boolean[] mask) {
    int n = 0;
    for (boolean b : mask) {
      n += b ? 1 : 0;
    }
    return n;
  }

  public int layers() {
    return layers;
  }

  public String search() {
    return search;
  }

  public Entry entry(int keep) {
    Entry entry = byBudget.get(keep);
    if (entry == null) {
      throw new IllegalArgumentException("budget must keep between 1 and " + layers + " layers, got " + keep);
    }
    return entry;
  }

  public boolean[] mask(int keep) {
    return entry(keep).mask();
  }

  /** Writes {@value #FILE} into {@code modelDir}, atomically. */
  public void save(Path modelDir) throws IOException {
    JsonObject root = new JsonObject();
    root.addProperty("layers", layers);
    root.addProperty("search", search);
    JsonArray subsets = new JsonArray();
    for (Map.Entry<Integer, Entry> e : byBudget.entrySet()) {
      JsonObject subset = new JsonObject();
      subset.addProperty("keep", e.getKey());
      JsonArray kept = new JsonArray();
      boolean[] mask = e.getValue().mask;
      for (int i = 0; i < mask.length; i++) {
        if (mask[i]) {
          kept.add(i);
        }
      }
      subset.add("layers", kept);
      subset.addProperty("score", e.getValue().score());
      subsets.add(subset);
    }
    root.add("subsets", subsets);
    Gson gson = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();
    JsonFiles.writeAtomically(modelDir.resolve(FILE), gson.toJson(root) + "\n");
  }

  /** Reads {@value #FILE} from {@code modelDir}. */
  public static StaticSubsets load(Path modelDir) throws IOException {
    Path file = modelDir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      throw new IOException(modelDir + ": no static layer subsets (" + FILE
          + "); search them on a dev set first");
    }
    try {
      JsonObject root = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8))
          .getAsJsonObject();
      int layers = root.get("layers").getAsInt();
      Map<Integer, Entry> byBudget = new TreeMap<>();
      for (JsonElement element : root.getAsJsonArray("subsets")) {
        JsonObject subset = element.getAsJsonObject();
        boolean[] mask = new boolean[layers];
        for (JsonElement layer : subset.getAsJsonArray("layers")) {
          int i = layer.getAsInt();
          if (i < 0 || i >= layers) {
            throw new IllegalArgumentException("layer " + i + " outside 0.." + (layers - 1));
          }
          mask[i] = true;
        }
        byBudget.put(subset.get("keep").getAsInt(), new Entry(mask, subset.get("score").getAsDouble()));
      }
      return new StaticSubsets(layers, root.get("search").getAsString(), byBudget);
    } catch (JsonParseException | IllegalStateException | IllegalArgumentException
        | NullPointerException | UnsupportedOperationException e) {
      throw new IOException(file + ": not a valid static subset table: " + e.getMessage(), e);
    }
  }
}
