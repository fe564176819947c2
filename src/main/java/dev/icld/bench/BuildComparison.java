package dev.icld.bench;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Before and after on one machine in one run: two builds' {@code icld bench --json} run as child
 * processes in turn, the order swapped every round (so that a slow spell of a shared machine
 * touches both alike), and each time this build's over the baseline's, as the ratio of the
 * medians over rounds of each run's median and as the ratio of the minima.
 */
public final class BuildComparison {
  /** A ratio above this, in both the medians and the minima, counts as slower. */
  public static final double SLOWER = 1.05;

  /** One timed thing on one input: this build's time over the baseline's. */
  public record Row(String model, double seconds, String what, double medianRatio, double minRatio) {
    public boolean slower() {
      return medianRatio > SLOWER && minRatio > SLOWER;
    }
  }

  /** @param baseline what the baseline build is (its jar) */
  public record Result(String baseline, int rounds, List<Row> rows) {
    public boolean noneSlower() {
      return rows.stream().noneMatch(Row::slower);
    }
  }

  private BuildComparison() {}

  /**
   * @param baseline the baseline's bench command, to which {@code --json FILE} is appended
   * @param current this build's, the same arguments
   */
  public static Result run(String baselineName, List<String> baseline, List<String> current,
      int rounds, Path work) throws IOException {
    List<JsonObject> before = new ArrayList<>();
    List<JsonObject> after = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      boolean baselineFirst = round % 2 == 0;
      for (int turn = 0; turn < 2; turn++) {
        boolean isBaseline = baselineFirst == (turn == 0);
        Path json = work.resolve((isBaseline ? "baseline-" : "current-") + round + ".json");
        runChild(isBaseline ? baseline : current, json, work);
        (isBaseline ? before : after).add(JsonParser.parseString(Files.readString(json)).getAsJsonObject());
      }
    }
    Map<String, double[][]> beforeTimes = times(before);
    Map<String, double[][]> afterTimes = times(after);
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<String, double[][]> e : afterTimes.entrySet()) {
      double[][] old = beforeTimes.get(e.getKey());
      if (old == null) {
        continue;
      }
      String[] key = e.getKey().split("\t");
      rows.add(new Row(key[0], Double.parseDouble(key[1]), key[2],
          median(e.getValue()[0]) / median(old[0]), min(e.getValue()[1]) / min(old[1])));
    }
    return new Result(baselineName, rounds, rows);
  }

  private static void runChild(List<String> command, Path json, Path work) throws IOException {
    List<String> full = new ArrayList<>(command);
    full.addAll(List.of("--json", json.toString()));
    Path log = work.resolve(json.getFileName() + ".log");
    Process process = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(log.toFile())
        .start();
    try {
      int exit = process.waitFor();
      if (exit != 0 || !Files.isRegularFile(json)) {
        throw new IOException(String.join(" ", full) + " failed (exit " + exit + "), see " + log);
      }
    } catch (InterruptedException e) {
      process.destroy();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while benching " + String.join(" ", command), e);
    }
  }

  /**
   * Per "model, seconds, what": {per-run medians, per-run minima} over the runs, for the DJL and
   * ONNX Runtime totals at each depth and the selector.
   */
  private static Map<String, double[][]> times(List<JsonObject> runs) {
    Map<String, double[][]> times = new LinkedHashMap<>();
    for (int r = 0; r < runs.size(); r++) {
      for (JsonElement m : runs.get(r).getAsJsonArray("models")) {
        String model = m.getAsJsonObject().get("name").getAsString();
        int layers = m.getAsJsonObject().get("layers").getAsInt();
        for (JsonElement i : m.getAsJsonObject().getAsJsonArray("inputs")) {
          JsonObject input = i.getAsJsonObject();
          String prefix = model + "\t" + input.get("seconds").getAsDouble() + "\t";
          for (JsonElement d : input.getAsJsonArray("depths")) {
            JsonObject depth = d.getAsJsonObject();
            String layersKept = depth.get("kept_layers").getAsInt() + "/" + layers;
            put(times, prefix + "DJL total " + layersKept, depth.getAsJsonObject("djl_total_ms"), r, runs.size());
            put(times, prefix + "ORT total " + layersKept, depth.getAsJsonObject("ort_total_ms"), r, runs.size());
          }
          put(times, prefix + "selector", input.getAsJsonObject("selector_ms"), r, runs.size());
        }
      }
    }
    return times;
  }

  private static void put(Map<String, double[][]> times, String key, JsonObject timing, int run,
      int runs) {
    double[][] t = times.computeIfAbsent(key, k -> new double[2][runs]);
    t[0][run] = timing.get("median").getAsDouble();
    t[1][run] = timing.get("min").getAsDouble();
  }

  private static double median(double[] values) {
    return Benchmark.Timing.of(values).medianMs();
  }

  private static double min(double[] values) {
    return Benchmark.Timing.of(values).minMs();
  }

  /** The Markdown section. */
  public static String markdown(Result result) {
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "Baseline %s against this build, each benched %d times "
        + "as its own process in turn (order swapped every round); ratio = this build over the "
        + "baseline, of the medians over rounds of each run's median, and of the minima. Slower "
        + "means both ratios above %.2f.%n%n", result.baseline(), result.rounds(), SLOWER));
    s.append("| model | input | time | median ratio | min ratio | slower |\n");
    s.append("| ----- | ----- | ---- | ------------ | --------- | ------ |\n");
    for (Row row : result.rows()) {
      s.append(String.format(Locale.ROOT, "| %s | %s | %s | %.2f | %.2f | %s |%n", row.model(),
          BenchmarkReport.inputLength(row.seconds()), row.what(), row.medianRatio(), row.minRatio(),
          row.slower() ? "**yes**" : "no"));
    }
    List<String> slower = result.rows().stream().filter(Row::slower)
        .map(r -> r.model() + " " + BenchmarkReport.inputLength(r.seconds()) + " " + r.what()).toList();
    s.append('\n').append(slower.isEmpty()
        ? "No budget got slower: every ratio is within the noise margin or below 1."
        : "Slower: " + String.join(", ", slower) + ".").append('\n');
    return s.toString();
  }
}
