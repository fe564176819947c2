import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Whether two icld eval reports are the same evaluation: report.json equal in every field but the
 * command line, the measured latencies and whether the static subsets were searched or loaded
 * (the first run searches them, the second loads what it stored). Run as a single-file program with Gson on the class
 * path (scripts/spark/standalone.sh does); exits 1, naming the first difference, when they differ.
 */
public class SameReport {
  public static void main(String[] args) throws Exception {
    JsonElement a = comparable(Path.of(args[0]));
    JsonElement b = comparable(Path.of(args[1]));
    String difference = firstDifference(a, b, "");
    if (difference != null) {
      System.err.println("reports differ at " + difference);
      System.exit(1);
    }
    System.out.println("same report: " + args[0] + " and " + args[1]
        + " (command, latencies and static subsets' provenance aside)");
  }

  private static JsonElement comparable(Path report) throws Exception {
    JsonObject o = JsonParser.parseString(Files.readString(report)).getAsJsonObject();
    o.remove("command");
    o.remove("static_subsets");
    strip(o);
    return o;
  }

  private static void strip(JsonElement e) {
    if (e.isJsonObject()) {
      for (Map.Entry<String, JsonElement> entry : List.copyOf(e.getAsJsonObject().entrySet())) {
        if (entry.getKey().startsWith("latency")) {
          e.getAsJsonObject().remove(entry.getKey());
        } else {
          strip(entry.getValue());
        }
      }
    } else if (e.isJsonArray()) {
      e.getAsJsonArray().forEach(SameReport::strip);
    }
  }

  private static String firstDifference(JsonElement a, JsonElement b, String path) {
    if (a.isJsonObject() && b.isJsonObject()) {
      for (String key : a.getAsJsonObject().keySet()) {
        if (!b.getAsJsonObject().has(key)) {
          return path + "/" + key + " (only in the first)";
        }
        String d = firstDifference(a.getAsJsonObject().get(key), b.getAsJsonObject().get(key),
            path + "/" + key);
        if (d != null) {
          return d;
        }
      }
      return a.getAsJsonObject().size() == b.getAsJsonObject().size() ? null
          : path + " (fields only in the second)";
    }
    if (a.isJsonArray() && b.isJsonArray()) {
      if (a.getAsJsonArray().size() != b.getAsJsonArray().size()) {
        return path + " (lengths differ)";
      }
      for (int i = 0; i < a.getAsJsonArray().size(); i++) {
        String d = firstDifference(a.getAsJsonArray().get(i), b.getAsJsonArray().get(i),
            path + "[" + i + "]");
        if (d != null) {
          return d;
        }
      }
      return null;
    }
    return a.equals(b) ? null : path + ": " + a + " versus " + b;
  }
}
