package dev.icld.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.icld.eval.EvaluationReport;
import dev.icld.files.FileDigests;
import dev.icld.files.RunSettings;
import dev.icld.model.Checkpoints;
import dev.icld.model.FoundationModel;
import dev.icld.model.TaskModel;
import dev.icld.recipes.SelectorTrainingJob;
import dev.icld.selection.LayerSelector;
import dev.icld.selection.SelectorConfig;
import dev.icld.selection.StaticSubsets;
import dev.icld.train.TinySetup;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * icld train-selector and icld eval end to end on a tiny 4-layer model fine-tuned for a few steps
 * on generated tones.
 */
class SelectorAndEvalCommandTest {
  private static final int LAYERS = 4;

  @TempDir static Path temp;
  private static Path data;
  private static Path layerDropModel;
  private static Path earlyExitModel;
  private static CliRun.Result selectorTraining;

  @BeforeAll
  static void fineTunedModelsWithASelector() throws IOException {
    System.setProperty("java.awt.headless", "true");
    data = TinySetup.corpus(temp.resolve("data"), 6, 3, 3);
    Path backbone = temp.resolve("backbone");
    try (FoundationModel model = Checkpoints.randomlyInitialised(TinySetup.config(LAYERS), 1)) {
      Checkpoints.save(model, backbone);
    }
    layerDropModel = temp.resolve("layer-drop");
    earlyExitModel = temp.resolve("early-exit");
    for (Path out : List.of(layerDropModel, earlyExitModel)) {
      CliRun.Result r = CliRun.run("finetune", "--model", backbone.toString(), "--task", "kws", "--data",
          data.toString(), "--out", out.toString(), "--layer-drop",
          out == layerDropModel ? "random" : "early-exit", "--max-steps", "30", "--batch-seconds",
          "1.5", "--lr", "5e-3");
      assertEquals(0, r.code(), r.err());
    }
    selectorTraining = CliRun.run("train-selector", "--model", layerDropModel.toString(), "--data",
        data.toString(), "--budgets", "1", "--max-steps", "20", "--epochs", "20",
        "--batch-seconds", "1.5", "--lr", "5e-2", "--distill");
  }

  private static List<JsonObject> metricLines(Path file) throws IOException {
    List<JsonObject> lines = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      JsonObject o = JsonParser.parseString(line).getAsJsonObject();
      if (o.get("event").getAsString().equals("step")) {
        lines.add(o);
      }
    }
    return lines;
  }

  @Test
  void trainSelectorSavesACalibratedSelectorBesideTheModel() throws IOException {
    assertEquals(0, selectorTraining.code(), selectorTraining.err());
    assertTrue(selectorTraining.out().contains("% of the full model"), selectorTraining.out());
    assertTrue(LayerSelector.existsIn(layerDropModel));
    try (LayerSelector selector = LayerSelector.load(layerDropModel)) {
      SelectorConfig config = selector.config();
      assertEquals(LAYERS, config.layers());
      assertEquals(List.of(1), config.trainedBudgets());
      assertTrue(config.adaptiveThresholds().containsKey(1), config.toJson());
    }
    List<JsonObject> steps = metricLines(
        layerDropModel.resolve(SelectorTrainingJob.RUN_DIR).resolve("metrics.jsonl"));
    assertEquals(20, steps.size());
    assertTrue(steps.get(0).get("temperature").getAsDouble()
        > steps.get(19).get("temperature").getAsDouble());
    assertTrue(steps.get(0).has("distillation"));
  }

  /** The report without what differs between two runs: timings, the output path, the subsets' source. */
  private static JsonObject withoutTimings(JsonObject report) {
    JsonObject copy = report.deepCopy();
    copy.remove("command");
    copy.remove("static_subsets");
    // scratch-cnn is trained in each report's own directory; ScratchCnnEvalTest checks it.
    copy.remove("references");
    for (JsonElement e : copy.getAsJsonArray("results")) {
      EvaluationReport.TIMING_FIELDS.forEach(e.getAsJsonObject()::remove);
    }
    return copy;
  }

  private static JsonObject readReport(Path out) throws IOException {
    return JsonParser.parseString(Files.readString(out.resolve(EvaluationReport.JSON)))
        .getAsJsonObject();
  }

  @Test
  void evalWritesAReproducibleReportSkipsWhatTheModelLacksAndReusesStaticSubsets()
      throws IOException {
    assertEquals(0, selectorTraining.code(), selectorTraining.err());
    Files.deleteIfExists(layerDropModel.resolve(StaticSubsets.FILE));
    String[] args = {"eval", "--model", layerDropModel.toString(), "--data", data.toString(),
        "--budgets", "4,1", "--out", temp.resolve("report1").toString(), "--seed", "7",
        "--resamples", "200", "--warmup", "1"};
    CliRun.Result first = CliRun.run(args);
    assertEquals(0, first.code(), first.err());
    assertTrue(Files.exists(layerDropModel.resolve(StaticSubsets.FILE)));
    args[8] = temp.resolve("report2").toString();
    CliRun.Result second = CliRun.run(args);
    assertEquals(0, second.code(), second.err());

    JsonObject report = readReport(temp.resolve("report1"));
    assertEquals("kws", report.get("task").getAsString());
    assertEquals("accuracy", report.get("metric").getAsString());
    assertEquals(LAYERS, report.get("layers").getAsInt());
    assertEquals("searched", report.get("static_subsets").getAsString());
    assertEquals("loaded", readReport(temp.resolve("report2")).get("static_subsets").getAsString());
    assertEquals(withoutTimings(report), withoutTimings(readReport(temp.resolve("report2"))));

    Set<String> seen = new HashSet<>();
    for (JsonElement e : report.getAsJsonArray("results")) {
      JsonObject r = e.getAsJsonObject();
      String method = r.get("method").getAsString();
      int budget = r.get("budget").getAsInt();
      seen.add(method + "@" + budget);
      double accuracy = r.get("accuracy").getAsDouble();
      JsonArray ci = r.getAsJsonArray("accuracy_ci95");
      assertTrue(ci.get(0).getAsDouble() <= accuracy + 1e-9
          && accuracy <= ci.get(1).getAsDouble() + 1e-9 || method.equals("random"), r.toString());
      assertTrue(r.get("latency_ms_p50").getAsDouble() > 0, r.toString());
      assertTrue(r.get("gflops_per_audio_second").getAsDouble() > 0, r.toString());
      double layers = r.get("mean_executed_layers").getAsDouble();
      if (!method.equals("adaptive")) {
        assertEquals(budget, layers, 1e-9, r.toString());
      }
      if (method.equals("random")) {
        assertEquals(5, r.getAsJsonArray("draws").size());
        assertTrue(r.has("accuracy_std"));
      }
      assertEquals(!method.equals("full"), r.has("mask_variation"), r.toString());
      if (r.has("mask_variation")) {
        assertMaskVariationInRange(r.getAsJsonObject("mask_variation"),
            report.get("test_utterances").getAsInt());
      }
    }
    assertEquals(Set.of("full@4", "random@4", "random@1", "static@4", "static@1", "selector@4",
        "selector@1", "adaptive@1"), seen);
    Set<String> skipped = new HashSet<>();
    for (JsonElement e : report.getAsJsonArray("skipped")) {
      JsonObject s = e.getAsJsonObject();
      skipped.add(s.get("method").getAsString() + (s.has("budget") ? "@" + s.get("budget") : ""));
      assertFalse(s.get("reason").getAsString().isBlank());
    }
    assertEquals(Set.of("early-exit", "dynamic-exit", "adaptive@4"), skipped);
    // Below the full budget the selector and adaptive mode are each paired with random and
    // static (early exit was skipped); the differences are those of the results.
    Set<String> pairs = new HashSet<>();
    for (JsonElement e : report.getAsJsonArray("paired_differences")) {
      JsonObject d = e.getAsJsonObject();
      String method = d.get("method").getAsString();
      String baseline = d.get("baseline").getAsString();
      int budget = d.get("budget").getAsInt();
      pairs.add(method + "-" + baseline + "@" + budget);
      assertEquals(accuracy(report, method, budget) - accuracy(report, baseline, budget),
          d.get("difference").getAsDouble(), 1e-9, d.toString());
      JsonArray ci = d.getAsJsonArray("ci95");
      assertTrue(ci.get(0).getAsDouble() <= ci.get(1).getAsDouble(), d.toString());
      assertTrue(Set.of("better", "worse", "tie").contains(d.get("verdict").getAsString()));
    }
    assertEquals(Set.of("selector-random@1", "selector-static@1", "adaptive-random@1",
        "adaptive-static@1"), pairs);
    // The selector's FLOPs count: at the same budget it costs more than the static subset.
    assertTrue(gflops(report, "selector", 1) > gflops(report, "static", 1));

    String markdown = Files.readString(temp.resolve("report1").resolve(EvaluationReport.MARKDOWN));
    assertTrue(markdown.contains("icld eval --model " + layerDropModel), markdown);
    assertTrue(markdown.contains("| k | method |"), markdown);
    assertTrue(markdown.contains("**"), markdown);
    assertTrue(markdown.contains("early-exit: the model has no exit heads"), markdown);
    assertTrue(markdown.contains("## Input-conditioned against the baselines, paired"), markdown);
    assertTrue(markdown.contains("| k | method | vs random | vs static |"), markdown);
    assertTrue(markdown.contains("## Does the selector condition on its input?"), markdown);
    assertTrue(markdown.contains("| k | method | distinct masks | on the most common | mean Hamming (layers) "
        + "| I(mask; class) (bits) | I / H(mask) |"), markdown);
    assertTrue(first.out().contains("* best at that budget"), first.out());

    assertPng(temp.resolve("report1").resolve(EvaluationReport.METRIC_VS_BUDGET), 1000, 600);
    assertPng(temp.resolve("report1").resolve(EvaluationReport.METRIC_VS_LATENCY), 1000, 600);
    // Group names, two panels of LAYERS cells, the colour scale; room for at least 4 rows.
    assertPng(temp.resolve("report1").resolve(EvaluationReport.SELECTION_HEATMAP),
        110 + 2 * (LAYERS * 30 + 40) + 90, 40 + 4 * 30 + 100);
  }

  /** Over the test utterances of the 3 tone classes, on masks of the 4 layers. */
  private static void assertMaskVariationInRange(JsonObject variation, int utterances) {
    String what = variation.toString();
    double masks = variation.get("distinct_masks").getAsDouble();
    assertTrue(masks >= 1 && masks <= utterances, what);
    double share = variation.get("most_common_mask_share").getAsDouble();
    assertTrue(share >= 1.0 / utterances - 1e-9 && share <= 1, what);
    double hamming = variation.get("mean_pairwise_hamming").getAsDouble();
    assertTrue(hamming >= 0 && hamming <= LAYERS, what);
    double bits = variation.get("mask_class_mutual_information_bits").getAsDouble();
    assertTrue(bits >= 0 && bits <= Math.log(3) / Math.log(2) + 1e-9, what);
    double normalised = variation.get("mask_class_mutual_information_normalised").getAsDouble();
    assertTrue(normalised >= 0 && normalised <= 1, what);
  }

  private static double gflops(JsonObject report, String method, int budget) {
    return field(report, method, budget, "gflops_per_audio_second");
  }

  private static double accuracy(JsonObject report, String method, int budget) {
    return field(report, method, budget, "accuracy");
  }

  private static double field(JsonObject report, String method, int budget, String field) {
    for (JsonElement e : report.getAsJsonArray("results")) {
      JsonObject r = e.getAsJsonObject();
      if (r.get("method").getAsString().equals(method) && r.get("budget").getAsInt() == budget) {
        return r.get(field).getAsDouble();
      }
    }
    throw new AssertionError("no " + method + " at " + budget);
  }

  private static void assertPng(Path file, int width, int height) throws IOException {
    BufferedImage image = ImageIO.read(file.toFile());
    assertNotNull(image, file + " is not a decodable image");
    assertEquals(width, image.getWidth(), file.toString());
    assertEquals(height, image.getHeight(), file.toString());
    int white = 0xFFFFFF;
    long drawn = 0;
    for (int y = height / 4; y < 3 * height / 4; y++) {
      for (int x = width / 4; x < 3 * width / 4; x++) {
        drawn += (image.getRGB(x, y) & 0xFFFFFF) == white ? 0 : 1;
      }
    }
    // Lines or cells in the middle of the plot, not an empty frame.
    assertTrue(drawn > width * height / 400, file + ": " + drawn + " drawn pixels");
  }

  @Test
  void anEarlyExitModelRunsTheExitsAndSkipsTheSelector() throws IOException {
    Path out = temp.resolve("report-ee");
    CliRun.Result r = CliRun.run("eval", "--model", earlyExitModel.toString(), "--data", data.toString(),
        "--methods", "full,early-exit,dynamic-exit,selector", "--budgets", "3,1", "--out",
        out.toString(), "--resamples", "100", "--warmup", "0");
    assertEquals(0, r.code(), r.err());
    JsonObject report = readReport(out);
    Set<String> seen = new HashSet<>();
    for (JsonElement e : report.getAsJsonArray("results")) {
      JsonObject result = e.getAsJsonObject();
      seen.add(result.get("method").getAsString() + "@" + result.get("budget").getAsInt());
      if (result.get("method").getAsString().equals("dynamic-exit")) {
        // Calibrated on dev for a mean of at most k layers; on test the mean may differ a little.
        double layers = result.get("mean_executed_layers").getAsDouble();
        assertTrue(layers >= 1 && layers <= LAYERS, result.toString());
      }
    }
    assertEquals(Set.of("full@4", "early-exit@3", "early-exit@1", "dynamic-exit@3",
        "dynamic-exit@1"), seen);
    JsonObject skipped = report.getAsJsonArray("skipped").get(0).getAsJsonObject();
    assertEquals("selector", skipped.get("method").getAsString());
    assertTrue(skipped.get("reason").getAsString().contains("icld train-selector"));
    assertFalse(Files.exists(out.resolve(EvaluationReport.SELECTION_HEATMAP)));
  }

  @Test
  void aSelectorVariantTrainsIntoItsOwnDirectoryAndEvalReadsItFromThere() throws IOException {
    Path variant = temp.resolve("variant-log-mel");
    CliRun.Result trained = CliRun.run("train-selector", "--model", earlyExitModel.toString(), "--data",
        data.toString(), "--input", "logmel", "--budgets", "3,1", "--max-steps", "4",
        "--batch-seconds", "1.5", "--selector-dir", variant.toString());
    assertEquals(0, trained.code(), trained.err());
    assertTrue(LayerSelector.existsIn(variant));
    assertFalse(LayerSelector.existsIn(earlyExitModel));
    Path out = temp.resolve("report-variant");
    CliRun.Result r = CliRun.run("eval", "--model", earlyExitModel.toString(), "--data", data.toString(),
        "--selector-dir", variant.toString(), "--methods", "selector,adaptive", "--budgets", "1",
        "--out", out.toString(), "--resamples", "50", "--warmup", "0");
    assertEquals(0, r.code(), r.err());
    JsonObject report = readReport(out);
    assertEquals(variant.toString(), report.get("selector_dir").getAsString());
    assertEquals(2, report.getAsJsonArray("results").size());
    assertEquals(0, report.getAsJsonArray("skipped").size());
  }

  @Test
  void maskTargetsAreCheckedRecordedWithTheirDigestAndGuardTheRun() throws IOException {
    List<String> labels;
    try (TaskModel model = TaskModel.load(layerDropModel)) {
      labels = model.labels().labels();
    }
    Path oracle = temp.resolve("oracle-targets.json");
    Files.writeString(oracle, String.format("""
        {"task": "kws", "budgets": [{"budget": 2, "class_masks": {"%s": [0, 3], "%s": [1, 2]}}]}
        """, labels.get(0), labels.get(1)));
    Path variant = temp.resolve("variant-targets");
    String[] command = {"train-selector", "--model", layerDropModel.toString(), "--data",
        data.toString(), "--budgets", "2", "--max-steps", "3", "--batch-seconds", "1.5",
        "--selector-dir", variant.toString(), "--mask-targets", oracle.toString(),
        "--mask-target-weight", "2"};
    CliRun.Result trained = CliRun.run(command);
    assertEquals(0, trained.code(), trained.err());
    assertTrue(trained.out().contains("mask targets " + oracle), trained.out());
    Path runDir = variant.resolve(SelectorTrainingJob.RUN_DIR);
    String options = Files.readString(runDir.resolve(RunSettings.FILE));
    assertTrue(options.contains("mask targets " + oracle + " (sha256 "
        + FileDigests.sha256(oracle) + ") weight 2.0"), options);
    assertTrue(metricLines(runDir.resolve("metrics.jsonl")).get(0).has("mask_target"));
    String[] otherWeight = command.clone();
    otherWeight[otherWeight.length - 1] = "3";
    CliRun.Result refused = CliRun.run(otherWeight);
    assertEquals(1, refused.code());
    assertTrue(refused.err().contains("holds a selector run with other options"), refused.err());

    Path otherTask = temp.resolve("oracle-sid.json");
    Files.writeString(otherTask, Files.readString(oracle).replace("\"kws\"", "\"sid\""));
    CliRun.Result wrongTask = CliRun.run("train-selector", "--model", layerDropModel.toString(),
        "--data", data.toString(), "--selector-dir", temp.resolve("never").toString(),
        "--mask-targets", otherTask.toString());
    assertEquals(1, wrongTask.code());
    assertTrue(wrongTask.err().contains(otherTask + ": mask targets do not fit the model: its "
        + "task is sid, the model's is kws"), wrongTask.err());
    assertFalse(Files.exists(temp.resolve("never")), "nothing is trained for refused targets");
  }

  @Test
  void badArgumentsAreOneClearLine() {
    CliRun.Result r = CliRun.run("eval", "--model", layerDropModel.toString(), "--data", data.toString(),
        "--budgets", "9", "--out", temp.resolve("bad").toString());
    assertEquals(1, r.code());
    assertTrue(r.err().contains("budget 9 outside 1..4"), r.err());
    r = CliRun.run("eval", "--model", layerDropModel.toString(), "--data", data.toString(),
        "--methods", "full,oracle", "--out", temp.resolve("bad").toString());
    assertEquals(1, r.code());
    assertTrue(r.err().contains("unknown method \"oracle\""), r.err());
    r = CliRun.run("train-selector", "--model", layerDropModel.toString(), "--data", data.toString(),
        "--joint-finetune-steps", "3");
    assertEquals(1, r.code());
    assertTrue(r.err().contains("needs --out"), r.err());
    // Another variant must not silently resume the finished run.
    r = CliRun.run("train-selector", "--model", layerDropModel.toString(), "--data", data.toString(),
        "--budgets", "1", "--max-steps", "20", "--epochs", "20", "--batch-seconds", "1.5");
    assertEquals(1, r.code());
    assertTrue(r.err().contains("holds a selector run with other options"), r.err());
  }
}
