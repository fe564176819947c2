package dev.icld.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.icld.eval.AblationReport;
import dev.icld.model.Checkpoints;
import dev.icld.model.FoundationModel;
import dev.icld.recipes.SelectorTrainingJob;
import dev.icld.selection.LayerSelector;
import dev.icld.selection.SelectorInputKind;
import dev.icld.selection.SelectorPooling;
import dev.icld.train.TinySetup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** icld ablate on a tiny 4-layer model fine-tuned with random LayerDrop for a few steps. */
class AblateCommandTest {
  private static final int LAYERS = 4;

  @TempDir static Path temp;
  private static Path data;
  private static Path model;

  @BeforeAll
  static void layerDropModel() throws IOException {
    data = TinySetup.corpus(temp.resolve("data"), 6, 3, 11);
    Path backbone = temp.resolve("backbone");
    try (FoundationModel m = Checkpoints.randomlyInitialised(TinySetup.config(LAYERS), 3)) {
      Checkpoints.save(m, backbone);
    }
    model = temp.resolve("layer-drop");
    CliRun.Result r = CliRun.run("finetune", "--model", backbone.toString(), "--task", "kws",
        "--data", data.toString(), "--out", model.toString(), "--layer-drop", "random",
        "--max-steps", "20", "--batch-seconds", "1.5", "--lr", "5e-3");
    assertEquals(0, r.code(), r.err());
  }

  private static CliRun.Result ablate(Path out, String budgets, String resamples, String engine) {
    return CliRun.run("ablate", "--model", model.toString(), "--data", data.toString(),
        "--out", out.toString(), "--budgets", budgets, "--max-steps", "6", "--batch-seconds",
        "1.5", "--lr", "5e-2", "--seed", "3", "--resamples", resamples, "--engine", engine);
  }

  private static CliRun.Result ablate(Path out, String budgets, String resamples) {
    return ablate(out, budgets, resamples, "djl");
  }

  private static CliRun.Result ablate(Path out) {
    return ablate(out, "4,2", "100");
  }

  private static JsonObject readJson(Path out) throws IOException {
    return JsonParser.parseString(Files.readString(out.resolve(AblationReport.JSON)))
        .getAsJsonObject();
  }

  /** Every file of the model directory with its bytes, to show the command leaves it alone. */
  private static Map<String, byte[]> snapshot(Path dir) throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path f : walk.filter(Files::isRegularFile).toList()) {
        files.put(dir.relativize(f).toString(), Files.readAllBytes(f));
      }
    }
    return files;
  }

  @Test
  void everyVariantIsTrainedApartEvaluatedAndReproducible() throws IOException {
    Map<String, byte[]> before = snapshot(model);
    Path first = temp.resolve("ablation1");
    CliRun.Result r = ablate(first);
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("* best at that budget"), r.out());
    assertTrue(r.out().contains("wrote        " + first.resolve(AblationReport.JSON)), r.out());

    Map<String, byte[]> after = snapshot(model);
    assertEquals(before.keySet(), after.keySet());
    before.forEach((name, bytes) -> assertTrue(java.util.Arrays.equals(bytes, after.get(name)),
        name + " changed"));
    assertFalse(LayerSelector.existsIn(model));

    JsonObject report = readJson(first);
    assertEquals("kws", report.get("task").getAsString());
    assertEquals("accuracy", report.get("metric").getAsString());
    assertEquals(LAYERS, report.get("layers").getAsInt());
    assertEquals(List.of(4, 2), ints(report.getAsJsonArray("budgets")));
    List<String> rows = new ArrayList<>();
    for (JsonElement e : report.getAsJsonArray("rows")) {
      JsonObject row = e.getAsJsonObject();
      String mode = row.get("mode").getAsString();
      rows.add(row.get("variant").getAsString() + ", " + mode);
      Path selectorDir = first.resolve(row.get("selector_dir").getAsString());
      assertTrue(LayerSelector.existsIn(selectorDir), selectorDir.toString());
      try (LayerSelector selector = LayerSelector.load(selectorDir)) {
        assertEquals(row.get("input").getAsString(), selector.config().input().label());
        assertEquals(List.of(4, 3, 2, 1), selector.config().trainedBudgets());
      }
      assertEquals(0, row.getAsJsonArray("skipped").size(), row.toString());
      JsonArray cells = row.getAsJsonArray("results");
      assertEquals(2, cells.size(), row.toString());
      for (int i = 0; i < cells.size(); i++) {
        JsonObject cell = cells.get(i).getAsJsonObject();
        int budget = cell.get("budget").getAsInt();
        assertEquals(i == 0 ? 4 : 2, budget);
        double accuracy = cell.get("accuracy").getAsDouble();
        JsonArray ci = cell.getAsJsonArray("accuracy_ci95");
        assertTrue(ci.get(0).getAsDouble() <= accuracy + 1e-9
            && accuracy <= ci.get(1).getAsDouble() + 1e-9, cell.toString());
        double layers = cell.get("mean_executed_layers").getAsDouble();
        if (mode.equals("top-k")) {
          assertEquals(budget, layers, 1e-9, cell.toString());
        } else {
          assertTrue(layers >= 0 && layers <= LAYERS, cell.toString());
        }
        assertTrue(cell.get("gflops_per_audio_second").getAsDouble() > 0);
        assertTrue(cell.has("best"));
      }
    }
    assertEquals(List.of("features, top-k", "features, mean+max-pooled, top-k", "log-mel, top-k",
        "features + KL, top-k", "features, adaptive"), rows);
    // The distillation variant, and only it, trained with the KL term.
    assertTrue(Files.readString(trainingMetrics(first, "features-kl")).contains("distillation"));
    assertFalse(Files.readString(trainingMetrics(first, "features")).contains("distillation"));
    try (LayerSelector logMel = LayerSelector.load(first.resolve("selectors/log-mel"));
        LayerSelector features = LayerSelector.load(first.resolve("selectors/features"));
        LayerSelector maxPooled = LayerSelector.load(first.resolve("selectors/features-max"))) {
      assertEquals(SelectorInputKind.LOG_MEL, logMel.config().input());
      assertEquals(SelectorPooling.MEAN, features.config().pooling());
      assertEquals(SelectorPooling.MEAN_MAX, maxPooled.config().pooling());
    }

    String markdown = Files.readString(first.resolve(AblationReport.MARKDOWN));
    assertTrue(markdown.contains("| variant | k = 4 | k = 2 |"), markdown);
    for (String row : rows) {
      assertTrue(markdown.contains("| " + row + " | "), row + " in\n" + markdown);
    }
    assertTrue(markdown.contains("**"), markdown);

    // Same seed, same table: trained afresh elsewhere, and resumed where it was.
    Path second = temp.resolve("ablation2");
    r = ablate(second);
    assertEquals(0, r.code(), r.err());
    assertEquals(withoutCommand(report), withoutCommand(readJson(second)));
    r = ablate(first);
    assertEquals(0, r.code(), r.err());
    assertEquals(report, readJson(first));

    // On ONNX Runtime the same selectors pick the same layers and the backbone agrees within
    // 1e-4, so every cell's numbers are the same.
    r = ablate(first, "4,2", "100", "onnx");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("on onnx"), r.out());
    JsonObject onnx = readJson(first);
    assertEquals("onnx", onnx.get("engine").getAsString());
    assertEquals("djl", report.get("engine").getAsString());
    assertEquals(cells(report), cells(onnx));
  }

  /** Every row's cells as "variant mode budget: accuracy, layers". */
  private static List<String> cells(JsonObject report) {
    List<String> cells = new ArrayList<>();
    for (JsonElement e : report.getAsJsonArray("rows")) {
      JsonObject row = e.getAsJsonObject();
      for (JsonElement c : row.getAsJsonArray("results")) {
        JsonObject cell = c.getAsJsonObject();
        cells.add(String.format("%s %s %d: %.6f, %.6f", row.get("variant").getAsString(),
            row.get("mode").getAsString(), cell.get("budget").getAsInt(),
            cell.get("accuracy").getAsDouble(), cell.get("mean_executed_layers").getAsDouble()));
      }
    }
    return cells;
  }

  private static Path trainingMetrics(Path out, String variant) {
    return out.resolve(AblateCommand.SELECTORS).resolve(variant)
        .resolve(SelectorTrainingJob.RUN_DIR).resolve("metrics.jsonl");
  }

  private static JsonObject withoutCommand(JsonObject report) {
    JsonObject copy = report.deepCopy();
    copy.remove("command");
    return copy;
  }

  private static List<Integer> ints(JsonArray array) {
    List<Integer> values = new ArrayList<>();
    array.forEach(e -> values.add(e.getAsInt()));
    return values;
  }

  @Test
  void badArgumentsAreRefusedBeforeAnyTraining() {
    Path out = temp.resolve("refused");
    CliRun.Result r = ablate(out, "9", "100");
    assertEquals(1, r.code(), r.out());
    assertTrue(r.err().contains("budget 9 outside 1..4"), r.err());
    r = ablate(out, "4,2", "0");
    assertEquals(1, r.code(), r.out());
    assertTrue(r.err().contains("resamples >= 1"), r.err());
    assertFalse(Files.exists(out.resolve(AblateCommand.SELECTORS)));
  }
}
