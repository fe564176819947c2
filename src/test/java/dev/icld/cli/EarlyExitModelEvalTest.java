package dev.icld.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.icld.data.LabelVocabulary;
import dev.icld.eval.EvaluationReport;
import dev.icld.model.Checkpoints;
import dev.icld.model.LayerDrop;
import dev.icld.model.Task;
import dev.icld.model.TaskModel;
import dev.icld.train.TinySetup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * icld eval --early-exit-model: the main job's two fine-tuned models (random LayerDrop, exit
 * heads) from one tiny 4-layer backbone compared in one report.
 */
class EarlyExitModelEvalTest {
  private static final int LAYERS = 4;

  @TempDir static Path temp;
  private static Path data;
  private static Path layerDropModel;
  private static Path earlyExitModel;

  @BeforeAll
  static void twoModelsFromOneBackbone() throws IOException {
    System.setProperty("java.awt.headless", "true");
    TinyModelPair models = TinyModelPair.make(temp, LAYERS, 5, 2);
    data = models.data();
    layerDropModel = models.layerDrop();
    earlyExitModel = models.earlyExit();
  }

  private static JsonObject eval(Path out, String... extra) throws IOException {
    String[] common = {"eval", "--data", data.toString(), "--out", out.toString(), "--budgets",
        "4,2", "--seed", "3", "--resamples", "100", "--warmup", "0"};
    CliRun.Result r = CliRun.run(Stream.concat(Stream.of(common), Stream.of(extra))
        .toArray(String[]::new));
    assertEquals(0, r.code(), r.err());
    return JsonParser.parseString(Files.readString(out.resolve(EvaluationReport.JSON)))
        .getAsJsonObject();
  }

  /** The results by "method@budget", without the measured latency and the model directory. */
  private static Map<String, JsonObject> results(JsonObject report) {
    Map<String, JsonObject> byKey = new HashMap<>();
    for (JsonElement e : report.getAsJsonArray("results")) {
      JsonObject r = e.getAsJsonObject().deepCopy();
      String key = r.get("method").getAsString() + "@" + r.get("budget").getAsInt();
      EvaluationReport.TIMING_FIELDS.forEach(r::remove);
      r.remove("best");
      byKey.put(key, r);
    }
    return byKey;
  }

  @Test
  void exitMethodsRunOnTheEarlyExitModelAndTheRestOnTheModel() throws IOException {
    Path out = temp.resolve("both");
    JsonObject both = eval(out, "--model", layerDropModel.toString(), "--early-exit-model",
        earlyExitModel.toString(), "--methods", "full,random,early-exit,dynamic-exit");
    assertEquals(layerDropModel.toString(), both.get("model").getAsString());
    assertEquals(earlyExitModel.toString(), both.get("early_exit_model").getAsString());
    assertEquals(0, both.getAsJsonArray("skipped").size(), both.toString());
    Map<String, JsonObject> combined = results(both);
    assertEquals(7, combined.size(), combined.keySet().toString());
    for (Map.Entry<String, JsonObject> e : combined.entrySet()) {
      boolean exit = e.getKey().startsWith("early-exit") || e.getKey().startsWith("dynamic-exit");
      assertEquals((exit ? earlyExitModel : layerDropModel).toString(),
          e.getValue().get("model").getAsString(), e.getKey());
    }
    String markdown = Files.readString(out.resolve(EvaluationReport.MARKDOWN));
    assertTrue(markdown.contains("Models: early-exit and dynamic-exit ran on `" + earlyExitModel
        + "` (exit heads after every layer); every other method on `" + layerDropModel + "`."),
        markdown);

    // Each half is exactly what a run on that model alone gives: same test set, same bootstrap.
    Map<String, JsonObject> exitsAlone = results(eval(temp.resolve("exits-alone"), "--model",
        earlyExitModel.toString(), "--methods", "early-exit,dynamic-exit"));
    Map<String, JsonObject> restAlone = results(eval(temp.resolve("rest-alone"), "--model",
        layerDropModel.toString(), "--methods", "full,random"));
    assertEquals(4, exitsAlone.size());
    assertEquals(3, restAlone.size());
    exitsAlone.forEach((key, r) -> assertEquals(r, combined.get(key), key));
    restAlone.forEach((key, r) -> assertEquals(r, combined.get(key), key));
    // Alone, one model is both: the report says so and the markdown has no models line.
    JsonObject alone = JsonParser.parseString(Files.readString(
        temp.resolve("rest-alone").resolve(EvaluationReport.JSON))).getAsJsonObject();
    assertEquals(alone.get("model"), alone.get("early_exit_model"));
    assertTrue(!Files.readString(temp.resolve("rest-alone").resolve(EvaluationReport.MARKDOWN))
        .contains("Models:"));
  }

  @Test
  void onOnnxBothModelsRunOnTheEngineAndTheReportIsDjlsApartFromTimings() throws IOException {
    JsonObject[] reports = new JsonObject[2];
    String[] engines = {"djl", "onnx"};
    for (int e = 0; e < 2; e++) {
      reports[e] = eval(temp.resolve("engine-" + engines[e]), "--model",
          layerDropModel.toString(), "--early-exit-model", earlyExitModel.toString(),
          "--methods", "full,random,early-exit,dynamic-exit", "--engine", engines[e]);
      assertEquals(engines[e], reports[e].get("engine").getAsString());
      assertEquals(earlyExitModel.toString(), reports[e].get("early_exit_model").getAsString());
    }
    assertEquals(7, reports[1].getAsJsonArray("results").size());
    assertEquals(withoutTimings(reports[0]), withoutTimings(reports[1]));
  }

  /** A report without what may differ between engines: timings, the command and the engine. */
  private static JsonObject withoutTimings(JsonObject report) {
    JsonObject copy = report.deepCopy();
    copy.remove("command");
    copy.remove("engine");
    for (JsonElement e : copy.getAsJsonArray("results")) {
      EvaluationReport.TIMING_FIELDS.forEach(e.getAsJsonObject()::remove);
    }
    return copy;
  }

  private static String refusal(Path exitModel) {
    CliRun.Result r = CliRun.run("eval", "--model", layerDropModel.toString(), "--early-exit-model",
        exitModel.toString(), "--data", data.toString(), "--out",
        temp.resolve("refused").toString(), "--budgets", "2", "--methods", "early-exit");
    assertEquals(1, r.code(), r.out());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().contains(exitModel.toString()), r.err());
    return r.err();
  }

  /** A copy of the early-exit model with one field of its description replaced. */
  private static Path editedCopy(String name, String from, String to) throws IOException {
    Path copy = temp.resolve(name);
    Files.createDirectories(copy);
    try (Stream<Path> files = Files.list(earlyExitModel)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Files.copy(f, copy.resolve(f.getFileName()));
      }
    }
    Path description = copy.resolve(TaskModel.DESCRIPTION);
    String text = Files.readString(description);
    assertTrue(text.contains(from), text);
    Files.writeString(description, text.replace(from, to));
    return copy;
  }

  @Test
  void mismatchedModelsAreRefusedClearly() throws IOException {
    assertTrue(refusal(editedCopy("other-task", "\"kws\"", "\"sid\""))
        .contains("differ in task: sid versus kws"));
    assertTrue(refusal(editedCopy("other-labels", "\"low\"", "\"quiet\""))
        .contains("differ in labels"));
    Path shallow = temp.resolve("two-layers");
    try (TaskModel model = TaskModel.create(
        Checkpoints.randomlyInitialised(TinySetup.config(2), 4), Task.KWS,
        LabelVocabulary.of(List.of("high", "low", "mid")),
        new LayerDrop(LayerDrop.Mode.EARLY_EXIT, 1.0, false), 5)) {
      model.save(shallow);
    }
    assertTrue(refusal(shallow).contains("differ in layer count: 2 versus 4"));
    assertTrue(refusal(layerDropModel).contains("has no exit heads"));
  }
}
