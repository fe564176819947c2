package dev.icld.eval;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.icld.metrics.MaskVariation;
import dev.icld.train.MaskTargets;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The oracle analysis as oracle.json and oracle.md (written atomically) and as a table for the
 * terminal: per budget, full depth, the best single candidate chosen on dev, the model's own
 * static subset, and every oracle, each with its test accuracy and what its choices look like.
 */
public final class OracleReport {
  public static final String JSON = "oracle.json";
  public static final String MARKDOWN = "oracle.md";

  /**
   * Where the analysis comes from.
   *
   * @param task kws, sid or sound
   * @param modelType wav2vec2, hubert or wavlm
   * @param staticSubsets how the model's static subsets were searched, or null without any
   * @param command the command line that produced the report
   */
  public record Context(String task, String modelType, String model, String data, int layers,
      int candidates, long seed, int resamples, String staticSubsets, String command) {}

  private final Context context;
  private final OracleAnalysis.Result result;

  public OracleReport(Context context, OracleAnalysis.Result result) {
    this.context = context;
    this.result = result;
  }

  /** Writes both files into {@code outDir} and returns them. */
  public List<Path> write(Path outDir) throws IOException {
    return ReportFiles.writeJsonAndMarkdown(outDir, JSON, json(), MARKDOWN, markdown());
  }

  JsonObject json() {
    JsonObject root = EvaluationReport.jsonHeader(context.task(), List.of("accuracy"),
        context.layers(), context.model());
    root.addProperty("model_type", context.modelType());
    root.addProperty("data", context.data());
    root.addProperty("static_subsets", context.staticSubsets());
    root.addProperty("random_candidates", context.candidates());
    root.addProperty("seed", context.seed());
    root.addProperty("bootstrap_resamples", context.resamples());
    root.addProperty("dev_utterances", result.devUtterances());
    root.addProperty("test_utterances", result.testUtterances());
    root.addProperty("command", context.command());
    root.add("full", rowJson(result.full()));
    JsonArray budgets = new JsonArray();
    for (OracleAnalysis.BudgetResult b : result.budgets()) {
      JsonObject budget = new JsonObject();
      budget.addProperty("budget", b.keep());
      budget.addProperty("static_by_search_candidate", b.staticBest());
      JsonArray candidates = new JsonArray();
      for (OracleAnalysis.ScoredCandidate c : b.candidates()) {
        JsonObject candidate = new JsonObject();
        JsonArray origins = new JsonArray();
        c.candidate().origins().forEach(origins::add);
        candidate.add("origins", origins);
        candidate.add("layers", layerArray(c.candidate().keptLayers()));
        candidate.addProperty("dev_accuracy", c.devAccuracy());
        candidate.addProperty("test_accuracy", c.testAccuracy());
        candidate.addProperty("test_mean_loss", c.testMeanLoss());
        candidates.add(candidate);
      }
      budget.add("candidates", candidates);
      JsonArray rows = new JsonArray();
      b.rows().forEach(r -> rows.add(rowJson(r)));
      budget.add("rows", rows);
      JsonObject classMasks = new JsonObject();
      b.classMasks().forEach((label, layers) -> classMasks.add(label, layerArray(layers)));
      budget.add(MaskTargets.FIELD, classMasks);
      budgets.add(budget);
    }
    root.add("budgets", budgets);
    return root;
  }

  private static JsonArray layerArray(List<Integer> layers) {
    JsonArray array = new JsonArray();
    layers.forEach(array::add);
    return array;
  }

  private static JsonObject rowJson(OracleAnalysis.Row r) {
    JsonObject row = new JsonObject();
    row.addProperty("name", r.name());
    row.addProperty("chosen_on", r.chosenOn());
    row.addProperty("accuracy", r.accuracy());
    row.add("accuracy_ci95", HeldOutVoices.pair(r.interval()));
    row.addProperty("mean_loss", r.meanLoss());
    if (r.gap() != null) {
      row.addProperty("minus_static_by_search", r.gap());
      row.add("minus_static_by_search_ci95", HeldOutVoices.pair(r.gapInterval()));
      row.addProperty("verdict", PairedDifference.verdict(r.gapInterval(), true));
    }
    row.add("mask_variation", EvaluationReport.maskVariationJson(r.byClass(), true));
    row.addProperty("mask_class_mutual_information_bits_shuffled", r.shuffledClassBits());
    row.addProperty("mask_family_mutual_information_bits",
        r.byFamily().mutualInformationBits());
    row.addProperty("fallback_utterances", r.fallbackUtterances());
    JsonArray chosen = new JsonArray();
    for (int c : r.candidateOf()) {
      chosen.add(c);
    }
    row.add("candidate_per_test_utterance", chosen);
    return row;
  }

  private String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("# icld oracle: ").append(context.task()).append(", ").append(context.modelType())
        .append(", ").append(context.layers()).append(" layers\n\n");
    md.append("```\n").append(context.command()).append("\n```\n\n");
    md.append(String.format("Model `%s`, corpus `%s`: every one of the %d dev and %d test "
        + "utterances run under every candidate mask (first-k, %s, and %d distinct random "
        + "k-subsets drawn with seed %d). Accuracy on test with its 95%% bootstrap interval (%d "
        + "resamples); the difference to static-by-search (the candidate with the best dev "
        + "accuracy) with its 95%% paired interval, **better** or **worse** where it excludes 0; "
        + "mean loss: the cross-entropy of the true label, nats.%n%n",
        context.model(), context.data(), result.devUtterances(), result.testUtterances(),
        context.staticSubsets() == null ? "no static subset (the model has none)"
            : "the model's static subset (" + context.staticSubsets() + ")",
        context.candidates(), context.seed(), context.resamples()));
    md.append("""
        - **per-utterance loss oracle**: each test utterance runs its lowest-loss candidate \
        (reads the label: optimistic);
        - **per-utterance any-right oracle**: right wherever any candidate is;
        - **class-conditional oracle**: the best candidate on dev for each class, run on test \
        by the true class;
        - **voice-family oracle**, **seen/held-out voice oracle**: the same by voice family, and \
        by whether train.jsonl has the family; a test group dev lacks runs static-by-search's \
        mask (fallback).

        Masks: distinct masks the row runs on test, the share on the most common, the mean \
        pairwise Hamming distance, I(mask; class) in bits (beside it, with the classes shuffled: \
        the plug-in estimate's bias at this size), and I(mask; voice family).

        """);
    OracleAnalysis.Row full = result.full();
    md.append(String.format(
        "Full depth (%d layers): accuracy %.4f (%.4f–%.4f), mean loss %.4f.%n", context.layers(),
        full.accuracy(), full.interval()[0], full.interval()[1], full.meanLoss()));
    for (OracleAnalysis.BudgetResult b : result.budgets()) {
      md.append(String.format("%n## k = %d (%d candidates)%n%n", b.keep(), b.candidates().size()));
      md.append("| choice | chosen on | accuracy (95% CI) | minus static-by-search (paired 95% CI)"
          + " | mean loss | masks | most common | Hamming | I(mask; class) bits (shuffled) "
          + "| I(mask; family) bits | fallback |\n");
      md.append("|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
      for (OracleAnalysis.Row r : b.rows()) {
        MaskVariation v = r.byClass();
        md.append(String.format("| %s | %s | %.4f (%.4f–%.4f) | %s | %.4f | %.0f | %.0f%% | %.2f "
            + "| %.3f (%.3f) | %.3f | %d |%n", r.name(), r.chosenOn(), r.accuracy(),
            r.interval()[0], r.interval()[1], gap(r, true), r.meanLoss(), v.distinctMasks(),
            100 * v.mostCommonMaskShare(), v.meanPairwiseHamming(), v.mutualInformationBits(),
            r.shuffledClassBits(), r.byFamily().mutualInformationBits(), r.fallbackUtterances()));
      }
      md.append("\n| candidate | origin | layers | dev accuracy | test accuracy "
          + "| test mean loss |\n");
      md.append("|---:|---|---|---:|---:|---:|\n");
      for (int c = 0; c < b.candidates().size(); c++) {
        OracleAnalysis.ScoredCandidate s = b.candidates().get(c);
        md.append(String.format("| %d%s | %s | %s | %.4f | %.4f | %.4f |%n", c,
            c == b.staticBest() ? " (static-by-search)" : "",
            String.join(", ", s.candidate().origins()), s.candidate().layers(), s.devAccuracy(),
            s.testAccuracy(), s.testMeanLoss()));
      }
      md.append("\nThe class-conditional oracle's masks (chosen on dev; `icld train-selector "
          + "--mask-targets` distils them):\n\n| class | layers |\n|---|---|\n");
      b.classMasks().forEach((label, layers) -> md.append(String.format("| %s | %s |%n", label,
          CandidateMasks.joined(layers))));
    }
    return md.toString();
  }

  /** The difference to static-by-search with its interval and verdict, or "-". */
  private static String gap(OracleAnalysis.Row r, boolean bold) {
    if (r.gap() == null) {
      return "-";
    }
    String verdict = PairedDifference.verdict(r.gapInterval(), true);
    String mark = bold && !verdict.equals("tie") ? "**" : "";
    return String.format("%+.4f (%+.4f, %+.4f) %s%s%s", r.gap(), r.gapInterval()[0],
        r.gapInterval()[1], mark, verdict, mark);
  }

  /** The rows as aligned text for the terminal. */
  public String table() {
    StringBuilder t = new StringBuilder();
    String header = String.format("%-3s %-31s %-23s %-40s %7s %5s %6s %7s %13s %7s%n", "k",
        "choice", "accuracy (95% CI)", "minus static-by-search (paired 95% CI)", "loss",
        "masks", "common", "Hamming", "I(m;cls) shuf", "I(m;fam)");
    t.append(header);
    t.append(line(context.layers(), result.full()));
    for (OracleAnalysis.BudgetResult b : result.budgets()) {
      for (OracleAnalysis.Row r : b.rows()) {
        t.append(line(b.keep(), r));
      }
    }
    t.append(String.format("candidates per budget: first-k, %s, %d random; loss: mean "
        + "cross-entropy of the true label (nats); N fb: N test utterances of groups dev lacks "
        + "ran static-by-search's mask%n",
        context.staticSubsets() == null ? "no static subset" : "the model's static subset",
        context.candidates()));
    return t.toString();
  }

  private static String line(int keep, OracleAnalysis.Row r) {
    MaskVariation v = r.byClass();
    String name = r.name() + (r.fallbackUtterances() > 0
        ? " (" + r.fallbackUtterances() + " fb)" : "");
    return String.format("%-3d %-31s %-23s %-40s %7.4f %5.0f %5.0f%% %7.2f %6.3f %6.3f %7.3f%n",
        keep, name, String.format("%.4f (%.3f-%.3f)", r.accuracy(), r.interval()[0],
            r.interval()[1]), gap(r, false), r.meanLoss(), v.distinctMasks(),
        100 * v.mostCommonMaskShare(), v.meanPairwiseHamming(), v.mutualInformationBits(),
        r.shuffledClassBits(), r.byFamily().mutualInformationBits());
  }
}
