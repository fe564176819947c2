package dev.icld.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.icld.data.LabelVocabulary;
import dev.icld.eval.EvaluationReport;
import dev.icld.model.Checkpoints;
import dev.icld.model.LayerDrop;
import dev.icld.model.Task;
import dev.icld.model.TaskModel;
import dev.icld.selection.LayerSelector;
import dev.icld.selection.SelectorConfig;
import dev.icld.selection.SelectorInputKind;
import dev.icld.selection.StaticSubsets;
import dev.icld.train.TinySetup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --engine djl|onnx} on icld infer and icld eval, end to end on a tiny random classifier
 * with exit heads after every layer, a layer selector and static subsets: both engines give the
 * same answers and the same report (timings aside), and say which engine ran.
 */
class EngineCommandTest {
  private static final int LAYERS = 4;
  /** TinySetup's corpus classes. */
  private static final List<String> CLASSES = List.of("low", "mid", "high");

  @TempDir static Path temp;
  private static Path data;
  private static Path model;

  @BeforeAll
  static void modelAndCorpus() throws IOException {
    data = TinySetup.corpus(temp.resolve("data"), 1, 3, 5);
    model = temp.resolve("model");
    try (TaskModel m = TaskModel.create(Checkpoints.randomlyInitialised(TinySetup.config(LAYERS), 1),
            Task.KWS, LabelVocabulary.of(CLASSES),
            new LayerDrop(LayerDrop.Mode.EARLY_EXIT, 0.5, false), 2);
        LayerSelector selector = LayerSelector.initialise(
            SelectorConfig.of(SelectorInputKind.FEATURES, 16, LAYERS), 3)) {
      m.save(model);
      selector.recordAdaptiveThreshold(2, 0.5);
      selector.save(model);
    }
    new StaticSubsets(LAYERS, "greedy-drop", Map.of(
        1, new StaticSubsets.Entry(new boolean[] {false, false, true, false}, 0.4),
        2, new StaticSubsets.Entry(new boolean[] {false, true, true, false}, 0.5),
        3, new StaticSubsets.Entry(new boolean[] {true, true, false, true}, 0.55),
        4, new StaticSubsets.Entry(new boolean[] {true, true, true, true}, 0.6))).save(model);
  }

  private static List<Path> testFiles() {
    return List.of(data.resolve("test/0.wav"), data.resolve("test/1.wav"), data.resolve("test/2.wav"));
  }

  private static JsonObject[] inferJson(String engine, String budget, String policy) {
    String[] args = {"infer", "--model", model.toString(), "--budget", budget, "--policy", policy,
        "--engine", engine, "--json", testFiles().get(0).toString(), testFiles().get(1).toString(),
        testFiles().get(2).toString()};
    CliRun.Result r = CliRun.run(args);
    assertEquals(0, r.code(), r.err());
    String[] lines = r.out().trim().split("\n");
    JsonObject[] objects = new JsonObject[lines.length];
    for (int i = 0; i < lines.length; i++) {
      objects[i] = JsonParser.parseString(lines[i]).getAsJsonObject();
    }
    return objects;
  }

  @Test
  void inferOnOnnxGivesDjlsAnswersAndSaysWhichEngineRan() {
    for (String[] run : new String[][] {{"selector", "2"}, {"selector", "adaptive:0.5"},
        {"early-exit", "1"}, {"static", "2"}, {"full", "4"}}) {
      JsonObject[] djl = inferJson("djl", run[1], run[0]);
      JsonObject[] onnx = inferJson("onnx", run[1], run[0]);
      assertEquals(3, onnx.length);
      for (int i = 0; i < djl.length; i++) {
        String what = run[0] + " " + run[1] + " file " + i;
        assertEquals("djl", djl[i].get("engine").getAsString());
        assertEquals("onnx", onnx[i].get("engine").getAsString());
        assertEquals(djl[i].get("label"), onnx[i].get("label"), what);
        assertEquals(djl[i].get("executed_layers"), onnx[i].get("executed_layers"), what);
        JsonObject p = djl[i].getAsJsonObject("probabilities");
        for (String label : p.keySet()) {
          assertEquals(p.get(label).getAsDouble(),
              onnx[i].getAsJsonObject("probabilities").get(label).getAsDouble(), 1e-4, what);
        }
      }
    }
  }

  @Test
  void evalOnOnnxWritesTheSameReportAsDjlWithTheEngineNamed() throws IOException {
    JsonObject[] reports = new JsonObject[2];
    String[] engines = {"djl", "onnx"};
    for (int e = 0; e < 2; e++) {
      Path out = temp.resolve("report-" + engines[e]);
      CliRun.Result r = CliRun.run("eval", "--model", model.toString(), "--data", data.toString(),
          "--budgets", "4,2", "--out", out.toString(), "--resamples", "50", "--warmup", "0",
          "--engine", engines[e]);
      assertEquals(0, r.code(), r.err());
      assertTrue(r.out().contains("engine " + engines[e]), r.out());
      reports[e] = JsonParser.parseString(Files.readString(out.resolve(EvaluationReport.JSON)))
          .getAsJsonObject();
      assertEquals(engines[e], reports[e].get("engine").getAsString());
      assertTrue(Files.readString(out.resolve(EvaluationReport.MARKDOWN))
          .contains("engine " + engines[e]));
    }
    Set<String> methods = new HashSet<>();
    for (JsonElement result : reports[1].getAsJsonArray("results")) {
      methods.add(result.getAsJsonObject().get("method").getAsString());
    }
    assertEquals(Set.of("full", "random", "early-exit", "dynamic-exit", "static", "selector",
        "adaptive"), methods);
    assertEquals(withoutTimings(reports[0]), withoutTimings(reports[1]));
  }

  /** A report without what may differ between engines: timings, the command and the engine. */
  private static JsonObject withoutTimings(JsonObject report) {
    JsonObject copy = report.deepCopy();
    copy.remove("command");
    copy.remove("engine");
    // scratch-cnn is trained in each report's own directory; ScratchCnnEvalTest checks it.
    copy.remove("references");
    JsonArray results = copy.getAsJsonArray("results");
    for (JsonElement e : results) {
      EvaluationReport.TIMING_FIELDS.forEach(e.getAsJsonObject()::remove);
    }
    return copy;
  }

  @Test
  void anUnknownEngineIsOneClearLine() {
    CliRun.Result r = CliRun.run("infer", "--model", model.toString(), "--budget", "2", "--engine",
        "tensorrt", testFiles().get(0).toString());
    assertEquals(1, r.code());
    assertEquals("icld infer: unknown engine \"tensorrt\" (expected djl or onnx)\n", r.err());
    r = CliRun.run("eval", "--model", model.toString(), "--data", data.toString(), "--out",
        temp.resolve("bad").toString(), "--engine", "tensorrt");
    assertEquals(1, r.code());
    assertEquals("icld eval: unknown engine \"tensorrt\" (expected djl or onnx)\n", r.err());
  }
}
