package dev.icld.eval;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The paper's table: tasks x backbones as rows, budgets as columns, every layer-dropping method in
 * each cell with its 95% interval, and each input-conditioned cell with its paired differences
 * against random, static and early exit. It only reads the report.json files that {@code icld
 * eval} wrote, so every number in it is one that a report printed; nothing is recomputed.
 *
 * <p>It also checks the method's targets (issue "The method's evidence"): at budgets 6 and 3, on
 * kws and asr, the selector beats random by at least 5 accuracy points or 10% relative WER with a
 * paired interval excluding 0 on the better side (verdict better), is at least equal to early exit
 * (paired difference at least -0.01 in the metric's better direction), and is above the static
 * best subset (verdict better).
 */
public final class PaperTable {
  /** The methods of each cell, in the paper's order. */
  public static final List<String> METHODS =
      List.of("random", "static", "early-exit", "dynamic-exit", "selector", "adaptive");
  /** The methods compared against their baselines, with paired differences in the cell. */
  private static final List<String> PAIRED = List.of("selector", "adaptive");
  private static final List<String> TARGET_TASKS = List.of("kws", "asr");
  private static final List<Integer> TARGET_BUDGETS = List.of(6, 3);
  private static final double KWS_MARGIN_OVER_RANDOM = 0.05;
  private static final double ASR_RELATIVE_MARGIN_OVER_RANDOM = 0.10;
  private static final double EARLY_EXIT_TOLERANCE = 0.01;

  /**
   * One (task, backbone) run of the main job.
   *
   * @param reportFile where its report.json is, or would be
   * @param report that report.json, or null where the run has not been made
   * @param wallSeconds the run's recorded wall time, or null where none was recorded
   */
  public record Run(String task, String backbone, Path reportFile, JsonObject report,
      Double wallSeconds) {
    boolean made() {
      return report != null;
    }

    boolean higherIsBetter() {
      return metric().equals("accuracy");
    }

    String metric() {
      return report.get("metric").getAsString();
    }

    int layers() {
      return report.get("layers").getAsInt();
    }
  }

  /**
   * One target check at one budget of one run; {@code difference} and {@code interval} are null
   * where the report has no such paired difference (not measured, and not met).
   */
  public record Target(String task, String backbone, int budget, String against,
      String requirement, Double difference, double[] interval, boolean met) {
    public boolean measured() {
      return difference != null;
    }
  }

  private final List<Run> runs;
  private final List<Integer> budgets;

  private PaperTable(List<Run> runs, List<Integer> budgets) {
    this.runs = List.copyOf(runs);
    this.budgets = List.copyOf(budgets);
  }

  /**
   * Reads {@code root/BACKBONE/TASK-SIZE/report/report.json} for every task and backbone (the
   * layout scripts/paper-table.sh writes); a run without one is shown as not made. Its wall time
   * comes from {@code wall-seconds.txt} next to its report folder, where the script wrote one.
   *
   * @throws IOException naming the file, when a report exists but cannot be read, or its task
   *     is not the one its folder names
   */
  public static PaperTable read(Path root, String size, List<String> tasks,
      List<String> backbones) throws IOException {
    List<Run> runs = new ArrayList<>();
    List<Integer> budgets = new ArrayList<>();
    for (String task : tasks) {
      for (String backbone : backbones) {
        Path runDir = root.resolve(backbone).resolve(task + "-" + size);
        Path reportFile = runDir.resolve("report").resolve("report.json");
        JsonObject report = Files.exists(reportFile) ? parse(reportFile, task) : null;
        if (report != null) {
          for (JsonElement result : report.getAsJsonArray("results")) {
            int budget = result.getAsJsonObject().get("budget").getAsInt();
            if (!budgets.contains(budget)) {
              budgets.add(budget);
            }
          }
        }
        runs.add(new Run(task, backbone, reportFile, report, wallSeconds(runDir)));
      }
    }
    budgets.sort((a, b) -> b - a);
    return new PaperTable(runs, budgets);
  }

  private static JsonObject parse(Path file, String task) throws IOException {
    JsonObject report;
    try {
      report = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8))
          .getAsJsonObject();
    } catch (JsonParseException | IllegalStateException e) {
      throw new IOException(file + ": not an icld eval report.json (" + e.getMessage() + ")", e);
    }
    for (String field : List.of("task", "metric", "layers", "model_type", "command", "results",
        "references", "paired_differences")) {
      if (!report.has(field)) {
        throw new IOException(file + ": not an icld eval report.json (no \"" + field + "\")");
      }
    }
    String metric = report.get("metric").getAsString();
    for (JsonElement e : report.getAsJsonArray("results")) {
      JsonObject r = e.getAsJsonObject();
      for (String field : List.of("method", "budget", metric, metric + "_ci95",
          "mean_executed_layers")) {
        if (!r.has(field)) {
          throw new IOException(file + ": a result without \"" + field + "\": " + r);
        }
      }
    }
    if (!report.get("task").getAsString().equals(task)) {
      throw new IOException(file + ": a report of task " + report.get("task").getAsString()
          + " in the folder of task " + task);
    }
    return report;
  }

  private static Double wallSeconds(Path runDir) throws IOException {
    Path file = runDir.resolve("wall-seconds.txt");
    if (!Files.exists(file)) {
      return null;
    }
    try {
      return Double.parseDouble(Files.readString(file, StandardCharsets.UTF_8).trim());
    } catch (NumberFormatException e) {
      throw new IOException(file + ": not a number of seconds", e);
    }
  }

  public List<Run> runs() {
    return runs;
  }

  /** Every target check of every made kws and asr run, in row order. */
  public List<Target> targets() {
    List<Target> targets = new ArrayList<>();
    for (Run run : runs) {
      if (!run.made() || !TARGET_TASKS.contains(run.task())) {
        continue;
      }
      for (int budget : TARGET_BUDGETS) {
        targets.add(overRandom(run, budget));
        targets.add(target(run, budget, "early-exit",
            "difference at least -" + EARLY_EXIT_TOLERANCE + " in the better direction",
            d -> better(run, d.difference()) >= -EARLY_EXIT_TOLERANCE));
        targets.add(target(run, budget, "static", "verdict better (interval excludes 0)",
            d -> d.verdict().equals("better")));
      }
    }
    return targets;
  }

  private Target overRandom(Run run, int budget) {
    if (run.higherIsBetter()) {
      return target(run, budget, "random", "at least +" + KWS_MARGIN_OVER_RANDOM
          + " and better", d -> d.difference() >= KWS_MARGIN_OVER_RANDOM
              && d.verdict().equals("better"));
    }
    Double randomValue = value(run, "random", budget);
    return target(run, budget, "random", "WER at least " + Math.round(
        100 * ASR_RELATIVE_MARGIN_OVER_RANDOM) + "% below random's, and better",
        d -> randomValue != null && -d.difference() >= ASR_RELATIVE_MARGIN_OVER_RANDOM
            * randomValue && d.verdict().equals("better"));
  }

  private interface Check {
    boolean met(Paired difference);
  }

  private Target target(Run run, int budget, String against, String requirement, Check check) {
    Paired d = paired(run, "selector", against, budget);
    return new Target(run.task(), run.backbone(), budget, against, requirement,
        d == null ? null : d.difference(), d == null ? null : d.interval(),
        d != null && check.met(d));
  }

  /** A difference turned so that positive is better. */
  private static double better(Run run, double difference) {
    return run.higherIsBetter() ? difference : -difference;
  }

  private record Paired(double difference, double[] interval, String verdict) {}

  private static Paired paired(Run run, String method, String baseline, int budget) {
    for (JsonElement e : run.report().getAsJsonArray("paired_differences")) {
      JsonObject d = e.getAsJsonObject();
      if (d.get("method").getAsString().equals(method)
          && d.get("baseline").getAsString().equals(baseline)
          && d.get("budget").getAsInt() == budget
          && d.get("metric").getAsString().equals(run.metric())) {
        JsonArray ci = d.getAsJsonArray("ci95");
        return new Paired(d.get("difference").getAsDouble(),
            new double[] {ci.get(0).getAsDouble(), ci.get(1).getAsDouble()},
            d.get("verdict").getAsString());
      }
    }
    return null;
  }

  private static JsonObject result(Run run, String method, int budget) {
    for (JsonElement e : run.report().getAsJsonArray("results")) {
      JsonObject r = e.getAsJsonObject();
      if (r.get("method").getAsString().equals(method) && r.get("budget").getAsInt() == budget) {
        return r;
      }
    }
    return null;
  }

  private static Double value(Run run, String method, int budget) {
    JsonObject r = result(run, method, budget);
    return r == null ? null : r.get(run.metric()).getAsDouble();
  }

  /** Everything in the table, as numbers: the cells, the references and the targets. */
  public JsonObject json() {
    JsonObject json = new JsonObject();
    JsonArray budgetArray = new JsonArray();
    budgets.forEach(budgetArray::add);
    json.add("budgets", budgetArray);
    JsonArray rows = new JsonArray();
    for (Run run : runs) {
      JsonObject row = new JsonObject();
      row.addProperty("task", run.task());
      row.addProperty("backbone", run.backbone());
      row.addProperty("report", run.reportFile().toString());
      row.addProperty("made", run.made());
      if (run.wallSeconds() != null) {
        row.addProperty("wall_seconds", run.wallSeconds());
      }
      if (run.made()) {
        row.addProperty("metric", run.metric());
        row.addProperty("model_type", run.report().get("model_type").getAsString());
        row.add("command", run.report().get("command"));
        JsonArray cells = new JsonArray();
        for (int budget : budgets) {
          for (String method : cellMethods(run, budget)) {
            JsonObject r = result(run, method, budget);
            if (r != null) {
              cells.add(cell(run, r));
            }
          }
        }
        row.add("results", cells);
        row.add("references", run.report().get("references"));
      }
      rows.add(row);
    }
    json.add("rows", rows);
    JsonArray targetArray = new JsonArray();
    for (Target t : targets()) {
      JsonObject o = new JsonObject();
      o.addProperty("task", t.task());
      o.addProperty("backbone", t.backbone());
      o.addProperty("budget", t.budget());
      o.addProperty("selector_against", t.against());
      o.addProperty("requirement", t.requirement());
      if (t.difference() != null) {
        o.addProperty("difference", t.difference());
        o.add("ci95", jsonInterval(t.interval()));
      }
      o.addProperty("met", t.met());
      targetArray.add(o);
    }
    json.add("targets", targetArray);
    return json;
  }

  private static JsonArray jsonInterval(double[] interval) {
    JsonArray ci = new JsonArray();
    ci.add(interval[0]);
    ci.add(interval[1]);
    return ci;
  }

  /** Full depth once, at the run's own layer count; then the paper's methods. */
  private static List<String> cellMethods(Run run, int budget) {
    List<String> methods = new ArrayList<>();
    if (budget == run.layers()) {
      methods.add("full");
    }
    methods.addAll(METHODS);
    return methods;
  }

  private static JsonObject cell(Run run, JsonObject result) {
    String method = result.get("method").getAsString();
    int budget = result.get("budget").getAsInt();
    JsonObject cell = new JsonObject();
    cell.addProperty("method", method);
    cell.addProperty("budget", budget);
    String metric = run.metric();
    cell.add(metric, result.get(metric));
    cell.add(metric + "_ci95", result.get(metric + "_ci95"));
    if (result.has(metric + "_std")) {
      cell.add(metric + "_std", result.get(metric + "_std"));
    }
    cell.add("mean_executed_layers", result.get("mean_executed_layers"));
    if (PAIRED.contains(method)) {
      JsonObject against = new JsonObject();
      for (String baseline : List.of("random", "static", "early-exit")) {
        Paired d = paired(run, method, baseline, budget);
        if (d != null) {
          JsonObject o = new JsonObject();
          o.addProperty("difference", d.difference());
          o.add("ci95", jsonInterval(d.interval()));
          o.addProperty("verdict", d.verdict());
          against.add(baseline, o);
        }
      }
      cell.add("paired", against);
    }
    return cell;
  }

  /** The table a reader reads: one row per task and backbone, one column per budget. */
  public String markdown(String command) {
    StringBuilder md = new StringBuilder();
    md.append("# Layer-dropping methods: tasks x backbones x budgets\n\n");
    md.append("Made by `").append(command).append("` from the runs' report.json files. Each "
        + "cell: the method's test metric with its 95% bootstrap interval (random: the mean of "
        + "its draws); selector and adaptive also show their paired difference against random "
        + "(R), static (S) and early exit (E), marked **better** or **worse** only where the "
        + "paired interval excludes 0. WER: lower is better.\n\n");
    md.append("| task | backbone | full depth, scratch-cnn |");
    budgets.forEach(b -> md.append(" k = ").append(b).append(" |"));
    md.append("\n|---|---|---|");
    budgets.forEach(b -> md.append("---|"));
    md.append('\n');
    for (Run run : runs) {
      md.append("| ").append(run.task()).append(" | ").append(run.backbone()).append(" |");
      if (!run.made()) {
        md.append(" not run (no ").append(run.reportFile()).append(") |");
        budgets.forEach(b -> md.append(" |"));
        md.append('\n');
        continue;
      }
      md.append(' ').append(run.metric()).append("<br>");
      JsonObject full = result(run, "full", run.layers());
      md.append(full == null ? "full: –" : "full " + valueText(run, full));
      for (JsonElement e : run.report().getAsJsonArray("references")) {
        JsonObject reference = e.getAsJsonObject();
        if (reference.has("accuracy")) {
          md.append("<br>").append(reference.get("method").getAsString()).append(' ')
              .append(interval(reference.get("accuracy").getAsDouble(),
                  reference.getAsJsonArray("accuracy_ci95")));
        }
      }
      if (run.wallSeconds() != null) {
        md.append(String.format(Locale.ROOT, "<br>run %.0f min", run.wallSeconds() / 60));
      }
      md.append(" |");
      for (int budget : budgets) {
        List<String> lines = new ArrayList<>();
        for (String method : METHODS) {
          JsonObject r = result(run, method, budget);
          if (r != null) {
            lines.add(methodLine(run, method, budget, r));
          }
        }
        md.append(' ').append(String.join("<br>", lines)).append(" |");
      }
      md.append('\n');
    }
    md.append(targetsMarkdown());
    return md.toString();
  }

  private static String methodLine(Run run, String method, int budget, JsonObject r) {
    StringBuilder line = new StringBuilder(method).append(' ').append(valueText(run, r));
    if (PAIRED.contains(method)) {
      for (String baseline : List.of("random", "static", "early-exit")) {
        Paired d = paired(run, method, baseline, budget);
        if (d != null) {
          line.append(String.format(Locale.ROOT, "; %s %+.3f", baseline.substring(0, 1)
              .toUpperCase(Locale.ROOT), d.difference()));
          if (!d.verdict().equals("tie")) {
            line.append(" **").append(d.verdict()).append("**");
          }
        }
      }
    }
    return line.toString();
  }

  private static String valueText(Run run, JsonObject r) {
    String metric = run.metric();
    return interval(r.get(metric).getAsDouble(), r.getAsJsonArray(metric + "_ci95"));
  }

  private static String interval(double value, JsonArray ci) {
    return String.format(Locale.ROOT, "%.3f (%.3f–%.3f)", value, ci.get(0).getAsDouble(),
        ci.get(1).getAsDouble());
  }

  private String targetsMarkdown() {
    List<Target> targets = targets();
    StringBuilder md = new StringBuilder("\n## The targets (kws and asr, budgets 6 and 3)\n\n");
    if (targets.isEmpty()) {
      return md.append("No kws or asr run has been made yet.\n").toString();
    }
    md.append("| task | backbone | k | selector against | requirement | paired difference "
        + "(95% CI) | met |\n|---|---|---:|---|---|---|---|\n");
    Map<String, int[]> tally = new LinkedHashMap<>();
    for (Target t : targets) {
      md.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | %s | %s |%n", t.task(),
          t.backbone(), t.budget(), t.against(), t.requirement(), t.difference() == null
              ? "– (not in the report)" : String.format(Locale.ROOT, "%+.4f (%+.4f, %+.4f)",
                  t.difference(), t.interval()[0], t.interval()[1]),
          !t.measured() ? "not measured" : t.met() ? "yes" : "**no**"));
      int[] counts = tally.computeIfAbsent(t.against(), a -> new int[3]);
      counts[0] += t.met() ? 1 : 0;
      counts[1]++;
      counts[2] += t.measured() ? 0 : 1;
    }
    md.append('\n');
    tally.forEach((against, counts) -> md.append(String.format(Locale.ROOT,
        "- against %s: %d of %d met%s%n", against, counts[0], counts[1],
        counts[2] == 0 ? "" : " (" + counts[2] + " not measured)")));
    return md.toString();
  }

  /** Writes paper-table.json and paper-table.md to {@code outDir}, atomically. */
  public List<Path> write(Path outDir, String command) throws IOException {
    Files.createDirectories(outDir);
    JsonObject json = json();
    json.addProperty("command", command);
    return ReportFiles.writeJsonAndMarkdown(outDir, "paper-table.json", json, "paper-table.md",
        markdown(command));
  }
}
