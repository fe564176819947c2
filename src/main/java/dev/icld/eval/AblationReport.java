package dev.icld.eval;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The selector ablation table (issue 5): one row per selector variant and mode (input features
 * or log-mel, with or without distillation, top-k or adaptive), one column per budget, each cell
 * the task metric with its 95% bootstrap interval and the mean executed layers. Written as
 * ablation.json and ablation.md, atomically. Measured latencies are left out on purpose: every
 * number here follows from the seed, so the same seed gives the same files.
 */
public final class AblationReport {
  public static final String JSON = "ablation.json";
  public static final String MARKDOWN = "ablation.md";

  /**
   * One row of the table.
   *
   * @param variant the variant's name, e.g. "features + KL"
   * @param input what its selector reads: features or log-mel
   * @param distillation whether it was trained with KL distillation from the full-depth output
   * @param mode top-k (exactly k layers) or adaptive (k layers on average)
   * @param selectorDir where its selector is, relative to the report's directory
   * @param results one per budget that ran
   * @param skipped the budgets that could not run, with the reasons
   */
  public record Row(String variant, String input, boolean distillation, String mode,
      String selectorDir, List<MethodResult> results, List<SkippedMethod> skipped) {
    public Row {
      results = List.copyOf(results);
      skipped = List.copyOf(skipped);
    }

    public String label() {
      return variant + ", " + mode;
    }
  }

  /**
   * Where the results come from.
   *
   * @param task kws, sid, sound or asr
   * @param modelType wav2vec2, hubert or wavlm
   * @param model the directory of the model every variant runs on
   * @param data the corpus directory
   * @param layers L
   * @param budgets the columns, in order
   * @param testUtterances utterances in the test split
   * @param testSeconds their total duration
   * @param seed training and bootstrap seed
   * @param resamples bootstrap resamples
   * @param engine the backbone's inference engine for the evaluation (djl or onnx)
   * @param command the command line that produced the report
   */
  public record Context(String task, String modelType, String model, String data, int layers,
      List<Integer> budgets, int testUtterances, double testSeconds, long seed, int resamples,
      String engine, String command) {
    public Context {
      budgets = List.copyOf(budgets);
    }
  }

  private final Context context;
  private final List<Row> rows;
  private final boolean classification;
  private final List<String> metricNames;

  public AblationReport(Context context, List<Row> rows, boolean classification) {
    this.context = context;
    this.rows = List.copyOf(rows);
    this.classification = classification;
    this.metricNames = classification ? List.of("accuracy") : List.of("wer", "cer");
  }

  /** Writes both files into {@code outDir} and returns them. */
  public List<Path> write(Path outDir) throws IOException {
    return ReportFiles.writeJsonAndMarkdown(outDir, JSON, json(), MARKDOWN, markdown());
  }

  private String primary() {
    return metricNames.get(0);
  }

  /** Per budget, the best result of any row (exact ties all count). */
  private Map<Integer, List<MethodResult>> best() {
    Map<Integer, List<MethodResult>> best = new TreeMap<>();
    for (Row row : rows) {
      for (MethodResult r : row.results()) {
        List<MethodResult> leaders = best.computeIfAbsent(r.budget(), k -> new ArrayList<>());
        int c = leaders.isEmpty() ? -1
            : EvaluationReport.compare(r, leaders.get(0), metricNames, classification);
        if (c < 0) {
          leaders.clear();
        }
        if (c <= 0) {
          leaders.add(r);
        }
      }
    }
    return best;
  }

  /** By identity: two rows' results may carry equal numbers, and only the leaders count. */
  private static boolean isBest(Map<Integer, List<MethodResult>> best, MethodResult r) {
    return best.get(r.budget()).stream().anyMatch(leader -> leader == r);
  }

  private static MethodResult at(Row row, int budget) {
    return row.results().stream().filter(r -> r.budget() == budget).findFirst().orElse(null);
  }

  JsonObject json() {
    JsonObject root = EvaluationReport.jsonHeader(context.task(), metricNames, context.layers(),
        context.model());
    root.addProperty("model_type", context.modelType());
    root.addProperty("data", context.data());
    JsonArray budgets = new JsonArray();
    context.budgets().forEach(budgets::add);
    root.add("budgets", budgets);
    root.addProperty("test_utterances", context.testUtterances());
    root.addProperty("test_seconds", context.testSeconds());
    root.addProperty("seed", context.seed());
    root.addProperty("bootstrap_resamples", context.resamples());
    root.addProperty("engine", context.engine());
    root.addProperty("command", context.command());
    Map<Integer, List<MethodResult>> best = best();
    JsonArray rowArray = new JsonArray();
    for (Row row : rows) {
      JsonObject entry = new JsonObject();
      entry.addProperty("variant", row.variant());
      entry.addProperty("input", row.input());
      entry.addProperty("distillation", row.distillation());
      entry.addProperty("mode", row.mode());
      entry.addProperty("selector_dir", row.selectorDir());
      JsonArray cells = new JsonArray();
      for (MethodResult r : row.results()) {
        JsonObject cell = new JsonObject();
        cell.addProperty("budget", r.budget());
        for (String name : metricNames) {
          cell.addProperty(name, r.metrics().get(name));
          JsonArray interval = new JsonArray();
          interval.add(r.intervals().get(name)[0]);
          interval.add(r.intervals().get(name)[1]);
          cell.add(name + "_ci95", interval);
        }
        cell.addProperty("mean_executed_layers", r.meanExecutedLayers());
        cell.addProperty("gflops_per_audio_second", r.gflopsPerAudioSecond());
        cell.addProperty("best", isBest(best, r));
        cells.add(cell);
      }
      entry.add("results", cells);
      JsonArray skipped = new JsonArray();
      for (SkippedMethod s : row.skipped()) {
        JsonObject skip = new JsonObject();
        if (s.budget() != null) {
          skip.addProperty("budget", s.budget());
        }
        skip.addProperty("reason", s.reason());
        skipped.add(skip);
      }
      entry.add("skipped", skipped);
      rowArray.add(entry);
    }
    root.add("rows", rowArray);
    return root;
  }

  private String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("# icld selector ablation: ").append(context.task()).append(", ")
        .append(context.modelType()).append(", ").append(context.layers()).append(" layers\n\n");
    md.append("```\n").append(context.command()).append("\n```\n\n");
    md.append(String.format("Every variant's selector trained on `%s` with the same settings and "
        + "seed (%d), each in its own directory; evaluated on the test set, %d utterances "
        + "(%.1f min) from `%s`, engine %s. Cell: %s (95%% bootstrap interval over utterances, %d "
        + "resamples) · mean executed layers. Top-k runs exactly k layers; adaptive thresholds "
        + "the gates so that the dev set averages k. **Bold**: best at that budget%s.%n%n",
        context.model(), context.seed(), context.testUtterances(), context.testSeconds() / 60,
        context.data(), context.engine(), primary().equals("accuracy") ? "accuracy" : "WER", context.resamples(),
        classification ? "" : " (ties broken by CER; CER in ablation.json)"));
    md.append("| variant |");
    context.budgets().forEach(k -> md.append(" k = ").append(k).append(" |"));
    md.append("\n|---|");
    context.budgets().forEach(k -> md.append("---|"));
    md.append('\n');
    Map<Integer, List<MethodResult>> best = best();
    for (Row row : rows) {
      md.append("| ").append(row.label()).append(" |");
      for (int k : context.budgets()) {
        MethodResult r = at(row, k);
        if (r == null) {
          md.append(" — |");
          continue;
        }
        String bold = isBest(best, r) ? "**" : "";
        double[] ci = r.intervals().get(primary());
        md.append(String.format(" %s%.4f%s (%.4f–%.4f) · %.2f |", bold,
            r.metrics().get(primary()), bold, ci[0], ci[1], r.meanExecutedLayers()));
      }
      md.append('\n');
    }
    List<String> notes = skippedNotes();
    if (!notes.isEmpty()) {
      md.append("\nNot run (—):\n\n");
      notes.forEach(n -> md.append("- ").append(n).append('\n'));
    }
    md.append("\nSelectors: ");
    md.append(String.join(", ", rows.stream().filter(r -> r.mode().equals("top-k"))
        .map(r -> r.variant() + " in `" + r.selectorDir() + "`").toList()));
    md.append(".\n");
    return md.toString();
  }

  private List<String> skippedNotes() {
    List<String> notes = new ArrayList<>();
    for (Row row : rows) {
      for (SkippedMethod s : row.skipped()) {
        notes.add(row.label() + (s.budget() == null ? "" : " at k = " + s.budget()) + ": "
            + s.reason());
      }
    }
    return notes;
  }

  /** The table as aligned text for the terminal. */
  public String table() {
    StringBuilder t = new StringBuilder();
    int width = Math.max(8, rows.stream().mapToInt(r -> r.label().length()).max().orElse(0));
    t.append(String.format("%-" + width + "s", "variant"));
    context.budgets().forEach(k -> t.append(String.format("  %-28s", "k=" + k + " " + primary())));
    t.append('\n');
    Map<Integer, List<MethodResult>> best = best();
    for (Row row : rows) {
      t.append(String.format("%-" + width + "s", row.label()));
      for (int k : context.budgets()) {
        MethodResult r = at(row, k);
        String cell = "-";
        if (r != null) {
          double[] ci = r.intervals().get(primary());
          cell = String.format("%.4f%s (%.3f-%.3f) %.1fL", r.metrics().get(primary()),
              isBest(best, r) ? "*" : "", ci[0], ci[1], r.meanExecutedLayers());
        }
        t.append(String.format("  %-28s", cell));
      }
      t.append('\n');
    }
    skippedNotes().forEach(n -> t.append("skipped ").append(n).append('\n'));
    t.append("* best at that budget; L: mean executed layers\n");
    return t.toString();
  }
}
