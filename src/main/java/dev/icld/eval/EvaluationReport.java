package dev.icld.eval;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.icld.files.AtomicFiles;
import dev.icld.methods.Method;
import dev.icld.methods.Methods;
import dev.icld.methods.Need;
import dev.icld.metrics.MaskVariation;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes a {@link MethodComparison}'s results: report.json (for programs), report.md (a table a
 * person reads at a glance, best method per budget in bold) and PNG plots (metric versus budget,
 * metric versus measured latency, and the selector's layer choices per group and budget). Every
 * file is written atomically.
 */
public final class EvaluationReport {
  public static final String JSON = "report.json";
  public static final String MARKDOWN = "report.md";
  public static final String METRIC_VS_BUDGET = "metric_vs_budget.png";
  public static final String METRIC_VS_LATENCY = "metric_vs_latency.png";
  public static final String SELECTION_HEATMAP = "selection_heatmap.png";

  /** The fields of the result entries that are measured times, so differ between runs. */
  public static final Set<String> TIMING_FIELDS = Set.of("latency_ms_p50");

  /**
   * Where the results come from.
   *
   * @param task kws, sid, sound or asr
   * @param modelType wav2vec2, hubert or wavlm
   * @param model the model directory
   * @param data the corpus directory
   * @param selector the directory the selector was read from
   * @param layers L
   * @param testUtterances utterances in the test split
   * @param testSeconds their total duration
   * @param seed the evaluation's seed
   * @param resamples bootstrap resamples
   * @param randomDraws draws of random layer dropping
   * @param engine the backbone's inference engine (djl or onnx): the latencies are its
   * @param command the command line that produced the report
   */
  public record Context(String task, String modelType, String model, String data, String selector,
      int layers,
      int testUtterances, double testSeconds, long seed, int resamples, int randomDraws,
      String engine, String command) {}

  private final Context context;
  private final MethodComparison.Comparison comparison;
  private final UtteranceGroups groups;
  private final boolean classification;
  private final List<String> metricNames;
  private final List<PairedDifference> differences;
  private final HeldOutVoices voices;

  /** @param voices the methods on voice families seen and held out from training */
  public EvaluationReport(Context context, MethodComparison.Comparison comparison,
      UtteranceGroups groups, boolean classification, HeldOutVoices voices) {
    this.context = context;
    this.comparison = comparison;
    this.groups = groups;
    this.voices = voices;
    this.classification = classification;
    this.metricNames = classification ? List.of("accuracy") : List.of("wer", "cer");
    this.differences = PairedDifference.of(comparison.results(), comparison.methods(),
        context.testUtterances(), metricNames, context.layers(), context.resamples(),
        context.seed());
  }

  /** Writes every file into {@code outDir} and returns the files written. */
  public List<Path> write(Path outDir) throws IOException {
    List<Path> written = new ArrayList<>();
    Path json = outDir.resolve(JSON);
    ReportFiles.writeJson(json, json());
    written.add(json);
    Path markdown = outDir.resolve(MARKDOWN);
    written.add(markdown);
    List<Path> plots = writePlots(outDir);
    written.addAll(plots);
    AtomicFiles.writeString(markdown, markdown(plots));
    return written;
  }

  private String primary() {
    return metricNames.get(0);
  }

  /**
   * Orders results from best to worst: by the primary metric (higher accuracy, lower WER), ties
   * broken by the next metric (CER for ASR).
   */
  private int compare(MethodResult a, MethodResult b) {
    return compare(a, b, metricNames, classification);
  }

  /** {@link #compare(MethodResult, MethodResult)} for any report over these metrics. */
  static int compare(MethodResult a, MethodResult b, List<String> metricNames,
      boolean classification) {
    for (String name : metricNames) {
      int c = Double.compare(a.metrics().get(name), b.metrics().get(name));
      if (c != 0) {
        return classification ? -c : c;
      }
    }
    return 0;
  }

  /** Largest budget first, then the registry's order of methods. */
  private int inTableOrder(MethodResult a, MethodResult b) {
    return a.budget() != b.budget() ? Integer.compare(b.budget(), a.budget())
        : Integer.compare(Methods.reportOrder(comparison.method(a.method())),
            Methods.reportOrder(comparison.method(b.method())));
  }

  /** Per budget, the methods with the best metrics (exact ties all count). */
  Map<Integer, Set<String>> best() {
    Map<Integer, Set<String>> best = new TreeMap<>();
    Map<Integer, MethodResult> leader = new TreeMap<>();
    for (MethodResult r : comparison.results()) {
      MethodResult current = leader.get(r.budget());
      int c = current == null ? -1 : compare(r, current);
      if (c < 0) {
        leader.put(r.budget(), r);
        best.put(r.budget(), new LinkedHashSet<>(List.of(r.method())));
      } else if (c == 0) {
        best.get(r.budget()).add(r.method());
      }
    }
    return best;
  }

  /**
   * The keys every report's JSON starts with: task, the primary metric (the first of
   * {@code metricNames}), all metric names, layers and the model directory.
   */
  static JsonObject jsonHeader(String task, List<String> metricNames, int layers, String model) {
    JsonObject root = new JsonObject();
    root.addProperty("task", task);
    root.addProperty("metric", metricNames.get(0));
    JsonArray names = new JsonArray();
    metricNames.forEach(names::add);
    root.add("metrics", names);
    root.addProperty("layers", layers);
    root.addProperty("model", model);
    return root;
  }

  JsonObject json() {
    JsonObject root = EvaluationReport.jsonHeader(context.task(), metricNames, context.layers(),
        context.model());
    root.addProperty("early_exit_model", comparison.exitModel().toString());
    root.addProperty("model_type", context.modelType());
    root.addProperty("data", context.data());
    root.addProperty("selector_dir", context.selector());
    root.addProperty("test_utterances", context.testUtterances());
    root.addProperty("test_seconds", context.testSeconds());
    root.addProperty("seed", context.seed());
    root.addProperty("bootstrap_resamples", context.resamples());
    root.addProperty("random_draws", context.randomDraws());
    root.addProperty("engine", context.engine());
    root.addProperty("command", context.command());
    if (comparison.staticSubsets() != null) {
      root.addProperty("static_subsets", comparison.staticSubsets());
    }
    Map<Integer, Set<String>> best = best();
    JsonArray results = new JsonArray();
    for (MethodResult r : comparison.results()) {
      JsonObject entry = new JsonObject();
      entry.addProperty("method", r.method());
      entry.addProperty("budget", r.budget());
      entry.addProperty("model", r.model().toString());
      for (String name : metricNames) {
        entry.addProperty(name, r.metrics().get(name));
        JsonArray interval = new JsonArray();
        interval.add(r.intervals().get(name)[0]);
        interval.add(r.intervals().get(name)[1]);
        entry.add(name + "_ci95", interval);
        if (r.deviations().containsKey(name)) {
          entry.addProperty(name + "_std", r.deviations().get(name));
        }
      }
      if (!r.draws().isEmpty()) {
        JsonArray draws = new JsonArray();
        r.draws().forEach(draws::add);
        entry.add("draws", draws);
      }
      entry.addProperty("mean_executed_layers", r.meanExecutedLayers());
      entry.addProperty("gflops_per_audio_second", r.gflopsPerAudioSecond());
      entry.addProperty("latency_ms_p50", r.latencyMsP50());
      entry.addProperty("best", best.get(r.budget()).contains(r.method()));
      if (reportsMaskVariation(r)) {
        entry.add("mask_variation", maskVariationJson(maskVariation(r), classification));
      }
      results.add(entry);
    }
    root.add("results", results);
    JsonArray references = new JsonArray();
    ReferenceResult reference = comparison.scratchCnn();
    if (reference != null) {
      JsonObject entry = new JsonObject();
      entry.addProperty("method", reference.method());
      entry.addProperty("kind", "from-scratch reference, not a layer-dropping method: no budget, "
          + "no layers, not in the paired differences");
      entry.addProperty("dir", reference.dir().toString());
      entry.addProperty("accuracy", reference.accuracy());
      JsonArray interval = new JsonArray();
      interval.add(reference.interval()[0]);
      interval.add(reference.interval()[1]);
      entry.add("accuracy_ci95", interval);
      entry.addProperty("parameters", reference.parameters());
      entry.addProperty("gflops_per_audio_second", reference.gflopsPerAudioSecond());
      entry.addProperty("latency_ms_p50", reference.latencyMsP50());
      entry.addProperty("engine", "djl");
      entry.addProperty("reused", reference.reused());
      entry.add("training", reference.training());
      references.add(entry);
    }
    root.add("references", references);
    JsonArray skipped = new JsonArray();
    for (SkippedMethod s : comparison.skipped()) {
      JsonObject entry = new JsonObject();
      entry.addProperty("method", s.method());
      if (s.budget() != null) {
        entry.addProperty("budget", s.budget());
      }
      entry.addProperty("reason", s.reason());
      skipped.add(entry);
    }
    root.add("skipped", skipped);
    JsonArray paired = new JsonArray();
    for (PairedDifference d : differences) {
      JsonObject entry = new JsonObject();
      entry.addProperty("method", d.method());
      entry.addProperty("baseline", d.baseline());
      entry.addProperty("budget", d.budget());
      entry.addProperty("metric", d.metric());
      entry.addProperty("difference", d.difference());
      JsonArray interval = new JsonArray();
      interval.add(d.interval()[0]);
      interval.add(d.interval()[1]);
      entry.add("ci95", interval);
      entry.addProperty("verdict", d.verdict());
      paired.add(entry);
    }
    root.add("paired_differences", paired);
    root.add("voices", voices.json());
    JsonObject selection = new JsonObject();
    selection.addProperty("group_by", groups.kind());
    JsonArray groupNames = new JsonArray();
    groups.names().forEach(groupNames::add);
    selection.add("groups", groupNames);
    for (MethodResult r : comparison.results()) {
      if (!comparison.method(r.method()).pairedAgainst().isEmpty()) {
        JsonObject method = selection.has(r.method())
            ? selection.getAsJsonObject(r.method()) : new JsonObject();
        JsonObject byGroup = new JsonObject();
        double[][] f = groups.selectionFrequencies(r.outcomes(), context.layers());
        for (int gi = 0; gi < f.length; gi++) {
          JsonArray row = new JsonArray();
          for (double v : f[gi]) {
            row.add(v);
          }
          byGroup.add(groups.names().get(gi), row);
        }
        method.add(String.valueOf(r.budget()), byGroup);
        selection.add(r.method(), method);
      }
    }
    root.add("layer_selection", selection);
    return root;
  }

  private String markdown(List<Path> plots) {
    StringBuilder md = new StringBuilder();
    md.append("# icld evaluation: ").append(context.task()).append(", ")
        .append(context.modelType()).append(", ").append(context.layers()).append(" layers\n\n");
    md.append("```\n").append(context.command()).append("\n```\n\n");
    md.append(String.format("Test set: %d utterances (%.1f min) from `%s`; model `%s`; "
        + "engine %s. ", context.testUtterances(), context.testSeconds() / 60, context.data(),
        context.model(), context.engine()));
    md.append(String.format("Intervals: 95%% bootstrap over utterances (%d resamples, seed %d). "
        + "Random: mean ± standard deviation over %d draws. Latency: median per utterance at "
        + "batch size 1, after warm-up. **Bold**: best %s at that budget%s.%n%n",
        context.resamples(), context.seed(), context.randomDraws(), primary(),
        classification ? "" : " (ties broken by CER)"));
    StringBuilder header = new StringBuilder("| k | method |");
    StringBuilder rule = new StringBuilder("|---:|---|");
    for (String name : metricNames) {
      header.append(" ").append(name.equals("accuracy") ? name : name.toUpperCase())
          .append(" (95% CI) |");
      rule.append("---|");
    }
    header.append(" mean layers | GFLOPs / audio s | latency p50 (ms) |\n");
    rule.append("---:|---:|---:|\n");
    md.append(header).append(rule);
    Map<Integer, Set<String>> best = best();
    List<MethodResult> ordered = new ArrayList<>(comparison.results());
    ordered.sort(this::inTableOrder);
    for (MethodResult r : ordered) {
      boolean top = best.get(r.budget()).contains(r.method());
      String bold = top ? "**" : "";
      md.append("| ").append(r.budget()).append(" | ").append(bold).append(r.method()).append(bold)
          .append(" |");
      for (String name : metricNames) {
        double[] ci = r.intervals().get(name);
        String value = String.format("%.4f", r.metrics().get(name));
        if (r.deviations().containsKey(name)) {
          value += String.format(" ± %.4f", r.deviations().get(name));
        }
        md.append(' ').append(name.equals(primary()) ? bold : "").append(value)
            .append(name.equals(primary()) ? bold : "")
            .append(String.format(" (%.4f–%.4f)", ci[0], ci[1])).append(" |");
      }
      md.append(String.format(" %.2f | %.4f | %.2f |%n", r.meanExecutedLayers(),
          r.gflopsPerAudioSecond(), r.latencyMsP50()));
    }
    ReferenceResult reference = comparison.scratchCnn();
    if (reference != null) {
      double[] ci = reference.interval();
      md.append(String.format("| – | %s † | %.4f (%.4f–%.4f) | – | %.4f | %.2f |%n",
          reference.method(), reference.accuracy(), ci[0], ci[1],
          reference.gflopsPerAudioSecond(), reference.latencyMsP50()));
      JsonObject training = reference.training();
      md.append(String.format("%n† %s is a from-scratch reference, not a layer-dropping method: "
          + "a %,d-parameter log-mel CNN (%s) trained on the train split of the same corpus, "
          + "with nothing from the foundation model; no budget, never bold, not in the paired "
          + "tables. Recipe: %d epochs of Adam, batches of %d, peak learning rate %s, "
          + "seed %d, no augmentation; kept: epoch %d, dev accuracy %.4f; trained in %.0f s%s "
          + "(`%s`, recipe in report.json). GFLOPs: the network without its log-mel features; "
          + "latency: features included, on DJL.%n",
          reference.method(), reference.parameters(), training.get("network").getAsString(),
          training.get("epochs").getAsInt(), training.get("batch_utterances").getAsInt(),
          training.get("learning_rate").getAsString(), training.get("seed").getAsLong(),
          training.get("best_epoch").getAsInt(), training.get("dev_accuracy").getAsDouble(),
          training.get("train_seconds").getAsDouble(),
          reference.reused() ? ", by an earlier run" : "", reference.dir()));
    }
    if (!comparison.exitModel().toString().equals(context.model())) {
      md.append(String.format("%nModels: %s ran on `%s` (exit heads after every layer); every "
          + "other method on `%s`.%n", String.join(" and ", Methods.ALL.stream()
              .filter(m -> m.needs().contains(Need.EXIT_HEADS)).map(Method::name).toList()),
          comparison.exitModel(), context.model()));
    }
    if (!comparison.skipped().isEmpty()) {
      md.append("\nSkipped:\n\n");
      for (SkippedMethod s : comparison.skipped()) {
        md.append("- ").append(s.method()).append(s.budget() == null ? "" : " (k = " + s.budget() + ")")
            .append(": ").append(s.reason()).append('\n');
      }
    }
    if (comparison.staticSubsets() != null) {
      md.append("\nStatic subsets: ").append(comparison.staticSubsets().equals("loaded")
          ? "loaded from the model directory (searched on the dev set earlier)."
          : "searched greedily on the dev set by this run and stored beside the model.")
          .append('\n');
    }
    md.append(pairedTable());
    md.append(voices.markdown());
    md.append('\n');
    for (Path plot : plots) {
      String name = plot.getFileName().toString();
      md.append("![").append(name.replace(".png", "").replace('_', ' ')).append("](")
          .append(name).append(")\n\n");
    }
    if (plots.stream().noneMatch(p -> p.getFileName().toString().equals(SELECTION_HEATMAP))) {
      md.append("No selection heatmap: the selector did not run.\n");
    }
    md.append(maskVariationTable());
    return md.toString();
  }

  private boolean reportsMaskVariation(MethodResult r) {
    return comparison.method(r.method()).reportsMaskVariation();
  }

  /** Over the test utterances; for classification the heatmap's groups are the classes. */
  private MaskVariation maskVariation(MethodResult r) {
    return MaskVariation.overDraws(r.outcomes(), classification ? groups.groupOf() : null);
  }

  /** A mask variation as report.json writes it; mutual information only with classes. */
  static JsonObject maskVariationJson(MaskVariation v, boolean classification) {
    JsonObject json = new JsonObject();
    json.addProperty("distinct_masks", v.distinctMasks());
    json.addProperty("most_common_mask_share", v.mostCommonMaskShare());
    json.addProperty("mean_pairwise_hamming", v.meanPairwiseHamming());
    if (classification) {
      json.addProperty("mask_class_mutual_information_bits", v.mutualInformationBits());
      json.addProperty("mask_class_mutual_information_normalised",
          v.normalisedMutualInformation());
    }
    return json;
  }

  /**
   * Whether the chosen layers vary with the input, beside the heatmap of how often each layer
   * runs: one row per method that chooses per input (and random and static for reference) and
   * budget; empty when none ran.
   */
  private String maskVariationTable() {
    List<MethodResult> rows = comparison.results().stream().filter(this::reportsMaskVariation)
        .sorted(this::inTableOrder).toList();
    if (rows.isEmpty()) {
      return "";
    }
    StringBuilder md = new StringBuilder();
    md.append(String.format("%n## Does the selector condition on its input?%n%n"
        + "Over the %d test utterances, per method and budget: how many different layer masks "
        + "were chosen; the share of utterances on the most common one; the mean Hamming "
        + "distance between two utterances' masks (layers one runs and the other does not, over "
        + "all pairs)%s. A selector that learned one subset for every input reads 1 mask, 100%%, "
        + "0%s, as static does by construction; random varies without reading the input%s.%s"
        + "%n%n",
        context.testUtterances(),
        classification ? "; and the mutual information between mask and class in bits, with "
            + "its share of the mask's entropy, I / H(mask)" : "",
        classification ? " and 0 bits" : "",
        classification ? ", and its mutual information is the estimate's bias on this many "
            + "utterances (where nearly every mask is unique, the mask names the utterance and "
            + "with it the class)" : "; no class for " + context.task()
            + ", so no mutual information",
        rows.stream().anyMatch(r -> !r.draws().isEmpty())
            ? " Random: mean over its " + context.randomDraws() + " draws." : ""));
    md.append("| k | method | distinct masks | on the most common | mean Hamming (layers) |");
    md.append(classification ? " I(mask; class) (bits) | I / H(mask) |\n" : "\n");
    md.append("|---:|---|---:|---:|---:|").append(classification ? "---:|---:|\n" : "\n");
    for (MethodResult r : rows) {
      MaskVariation v = maskVariation(r);
      double masks = v.distinctMasks();
      md.append(String.format("| %d | %s | %s | %.0f%% | %.2f |", r.budget(), r.method(),
          masks == Math.rint(masks) ? String.valueOf((long) masks) : String.format("%.1f", masks),
          100 * v.mostCommonMaskShare(), v.meanPairwiseHamming()));
      md.append(classification ? String.format(" %.3f | %.2f |%n", v.mutualInformationBits(),
          v.normalisedMutualInformation()) : "\n");
    }
    return md.toString();
  }

  /**
   * The input-conditioned methods against each baseline, one row per method and budget, the
   * primary metric's paired differences as cells; empty when there is nothing to pair.
   */
  private String pairedTable() {
    List<PairedDifference> primaryDifferences =
        differences.stream().filter(d -> d.metric().equals(primary())).toList();
    if (primaryDifferences.isEmpty()) {
      return "";
    }
    List<String> baselines = primaryDifferences.stream()
        .flatMap(d -> comparison.method(d.method()).pairedAgainst().stream()).map(Method::name)
        .distinct()
        .filter(b -> primaryDifferences.stream().anyMatch(d -> d.baseline().equals(b))).toList();
    String label = classification ? "accuracy" : primary().toUpperCase();
    StringBuilder md = new StringBuilder();
    md.append(String.format("%n## Input-conditioned against the baselines, paired%n%n"
        + "Difference in %s, method minus baseline, on the same %d test utterances, with its "
        + "95%% paired bootstrap interval (utterances resampled once for both methods; random "
        + "counts as its mean over draws). **better** or **worse**: the interval excludes 0%s; "
        + "tie: it does not. Each interval holds for its own comparison: over the %d cells "
        + "below, about one in 20 true ties would show as better or worse by chance.%n%n",
        label, context.testUtterances(), classification ? "" : " (a lower WER is better)",
        primaryDifferences.size()));
    md.append("| k | method |");
    baselines.forEach(b -> md.append(" vs ").append(b).append(" |"));
    md.append("\n|---:|---|");
    baselines.forEach(b -> md.append("---|"));
    md.append('\n');
    Map<String, List<PairedDifference>> rows = new LinkedHashMap<>();
    for (PairedDifference d : primaryDifferences) {
      rows.computeIfAbsent(d.budget() + " " + d.method(), key -> new ArrayList<>()).add(d);
    }
    List<List<PairedDifference>> ordered = new ArrayList<>(rows.values());
    ordered.sort((a, b) -> a.get(0).budget() != b.get(0).budget()
        ? Integer.compare(b.get(0).budget(), a.get(0).budget())
        : Integer.compare(Methods.reportOrder(comparison.method(a.get(0).method())),
            Methods.reportOrder(comparison.method(b.get(0).method()))));
    for (List<PairedDifference> row : ordered) {
      md.append("| ").append(row.get(0).budget()).append(" | ").append(row.get(0).method())
          .append(" |");
      for (String baseline : baselines) {
        PairedDifference d = row.stream().filter(x -> x.baseline().equals(baseline))
            .findFirst().orElse(null);
        md.append(d == null ? " – |" : String.format(" %s (%s, %s) %s |", signed(d.difference()),
            signed(d.interval()[0]), signed(d.interval()[1]),
            d.verdict().equals("tie") ? "tie" : "**" + d.verdict() + "**"));
      }
      md.append('\n');
    }
    return md.toString();
  }

  /** A difference to four places with its sign; a rounding residue prints as +0.0000. */
  private static String signed(double value) {
    return String.format("%+.4f", Math.abs(value) < 5e-5 ? 0.0 : value);
  }

  private List<Path> writePlots(Path outDir) throws IOException {
    List<Path> written = new ArrayList<>();
    String label = classification ? "accuracy" : "WER";
    Map<String, List<MethodResult>> byMethod = new LinkedHashMap<>();
    for (MethodResult r : comparison.results()) {
      byMethod.computeIfAbsent(r.method(), m -> new ArrayList<>()).add(r);
    }
    if (byMethod.isEmpty()) {
      return written;
    }
    int minBudget = comparison.results().stream().mapToInt(MethodResult::budget).min().orElse(1);
    List<LineChart.Series> vsBudget = new ArrayList<>();
    List<LineChart.Series> vsLatency = new ArrayList<>();
    for (Map.Entry<String, List<MethodResult>> e : byMethod.entrySet()) {
      List<MethodResult> rs = e.getValue();
      double[] budgets = rs.stream().mapToDouble(MethodResult::budget).toArray();
      double[] values = rs.stream().mapToDouble(r -> r.metrics().get(primary())).toArray();
      double[] latency = rs.stream().mapToDouble(MethodResult::latencyMsP50).toArray();
      double[] errors = rs.stream()
          .mapToDouble(r -> r.deviations().getOrDefault(primary(), 0.0)).toArray();
      Color color = comparison.method(e.getKey()).colour();
      boolean full = e.getKey().equals(Methods.FULL.name());
      if (full && minBudget < context.layers()) {
        vsBudget.add(new LineChart.Series("full (k = " + context.layers() + ")", color,
            new double[] {minBudget, context.layers()}, new double[] {values[0], values[0]}, null,
            true));
      } else {
        String spread = rs.get(0).draws().isEmpty() ? "" : " (± std)";
        vsBudget.add(new LineChart.Series(e.getKey() + spread, color, budgets, values, errors,
            false));
      }
      vsLatency.add(new LineChart.Series(e.getKey(), color, latency, values, null, false));
    }
    ReferenceResult reference = comparison.scratchCnn();
    double[] ticks = budgetTicks();
    if (reference != null) {
      // No budget: a level across the whole axis, not a point at one budget.
      Color color = ScratchCnnBaseline.COLOUR;
      vsBudget.add(new LineChart.Series(reference.method(), color,
          new double[] {ticks[0], ticks[ticks.length - 1]},
          new double[] {reference.accuracy(), reference.accuracy()}, null, true));
      vsLatency.add(new LineChart.Series(reference.method(), color,
          new double[] {reference.latencyMsP50()}, new double[] {reference.accuracy()}, null,
          false));
    }
    Path budgetPlot = outDir.resolve(METRIC_VS_BUDGET);
    ReportFiles.writePng(budgetPlot, LineChart.draw(
        context.task() + ": " + label + " versus budget", "budget k (layers kept of "
            + context.layers() + ")", label, vsBudget, ticks));
    written.add(budgetPlot);
    Path latencyPlot = outDir.resolve(METRIC_VS_LATENCY);
    ReportFiles.writePng(latencyPlot, LineChart.draw(
        context.task() + ": " + label + " versus measured latency", "latency p50 per utterance (ms)",
        label, vsLatency));
    written.add(latencyPlot);
    List<MethodResult> selector = byMethod.getOrDefault(Methods.SELECTOR.name(), List.of());
    if (!selector.isEmpty()) {
      List<SelectionHeatmap.Panel> panels = new ArrayList<>();
      for (MethodResult r : selector) {
        panels.add(new SelectionHeatmap.Panel(r.budget(),
            groups.selectionFrequencies(r.outcomes(), context.layers())));
      }
      Path heatmap = outDir.resolve(SELECTION_HEATMAP);
      ReportFiles.writePng(heatmap, SelectionHeatmap.draw(context.task()
          + ": how often the selector runs each layer, per " + groups.kind() + " (%)",
          groups.names(), panels, context.layers()));
      written.add(heatmap);
    }
    return written;
  }

  /** The budgets the x axis spans: every whole one up to 12 layers; above, those evaluated and L. */
  private double[] budgetTicks() {
    Set<Integer> ticks = new java.util.TreeSet<>();
    if (context.layers() <= 12) {
      for (int k = 1; k <= context.layers(); k++) {
        ticks.add(k);
      }
    } else {
      comparison.results().forEach(r -> ticks.add(r.budget()));
      ticks.add(context.layers());
    }
    return ticks.stream().mapToDouble(Integer::doubleValue).toArray();
  }

  /** The results as an aligned text table for the terminal. */
  public String table() {
    StringBuilder t = new StringBuilder();
    Map<Integer, Set<String>> best = best();
    t.append(String.format("%-4s %-14s", "k", "method"));
    for (String name : metricNames) {
      t.append(String.format(" %-30s", name + " (95% CI)"));
    }
    t.append(String.format(" %7s %10s %9s%n", "layers", "GFLOPs/s", "p50 ms"));
    List<MethodResult> ordered = new ArrayList<>(comparison.results());
    ordered.sort(this::inTableOrder);
    for (MethodResult r : ordered) {
      String name = r.method() + (best.get(r.budget()).contains(r.method()) ? " *" : "");
      t.append(String.format("%-4d %-14s", r.budget(), name));
      for (String metric : metricNames) {
        double[] ci = r.intervals().get(metric);
        String value = String.format("%.4f", r.metrics().get(metric));
        if (r.deviations().containsKey(metric)) {
          value += String.format("±%.4f", r.deviations().get(metric));
        }
        t.append(String.format(" %-30s", value + String.format(" (%.3f-%.3f)", ci[0], ci[1])));
      }
      t.append(String.format(" %7.2f %10.4f %9.2f%n", r.meanExecutedLayers(),
          r.gflopsPerAudioSecond(), r.latencyMsP50()));
    }
    ReferenceResult reference = comparison.scratchCnn();
    if (reference != null) {
      double[] ci = reference.interval();
      t.append(String.format("%-4s %-14s %-30s %7s %10.4f %9.2f%n", "-", reference.method(),
          String.format("%.4f (%.3f-%.3f)", reference.accuracy(), ci[0], ci[1]), "-",
          reference.gflopsPerAudioSecond(), reference.latencyMsP50()));
    }
    for (SkippedMethod s : comparison.skipped()) {
      t.append("skipped ").append(s.method()).append(s.budget() == null ? "" : " k=" + s.budget())
          .append(": ").append(s.reason()).append('\n');
    }
    t.append("* best at that budget");
    t.append(reference == null ? "\n" : "; scratch-cnn: trained from scratch, a reference "
        + "without budget\n");
    return t.toString();
  }
}
