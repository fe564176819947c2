package dev.icld.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.icld.data.LabelVocabulary;
import dev.icld.model.Checkpoints;
import dev.icld.model.LayerDrop;
import dev.icld.model.ModelConfig;
import dev.icld.model.Task;
import dev.icld.model.TaskModel;
import dev.icld.train.TinySetup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchCommandTest {
  @TempDir Path dir;

  @Test
  void benchmarksAModelOnBothEnginesAndWritesJsonAndMarkdown() throws Exception {
    String model = Path.of(getClass().getResource("/dev/icld/model/fixtures/base").toURI()).toString();
    Path json = dir.resolve("out/bench.json");
    Path markdown = dir.resolve("BENCHMARKS.md");
    CliRun.Result r = CliRun.run("bench", "--model", model, "--seconds", "0.1,0.2", "--repeats", "1",
        "--warmups", "0", "--threads", "1", "--json", json.toString(), "--markdown", markdown.toString(),
        "--torch-python", dir.resolve("no-python3").toString());
    assertEquals(0, r.code(), r.err());
    String text = r.out();
    assertTrue(text.contains("DJL front end"), text);
    assertTrue(text.contains("ORT over DJL, full model"), text);
    assertTrue(text.contains("base: not measured (python3-torch not installed)"), text);
    assertTrue(text.matches("(?s).*(PASS|MISS) base .*"), text);

    JsonObject o = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
    assertEquals(1, o.get("repeats").getAsInt());
    assertTrue(o.get("command").getAsString().contains("bench --model"), o.get("command").getAsString());
    assertTrue(o.getAsJsonObject("machine").get("nproc").getAsInt() >= 1);
    JsonArray models = o.getAsJsonArray("models");
    assertEquals(1, models.size());
    JsonObject fixture = models.get(0).getAsJsonObject();
    assertEquals(3, fixture.get("layers").getAsInt());
    JsonArray inputs = fixture.getAsJsonArray("inputs");
    assertEquals(2, inputs.size());
    JsonArray depths = inputs.get(0).getAsJsonObject().getAsJsonArray("depths");
    // The fixture has 3 layers: full, half (1) and zero; a quarter rounds to zero too.
    assertEquals(3, depths.size());
    assertEquals(3, depths.get(0).getAsJsonObject().get("kept_layers").getAsInt());
    assertEquals(1, depths.get(1).getAsJsonObject().get("kept_layers").getAsInt());
    assertEquals(0, depths.get(2).getAsJsonObject().get("kept_layers").getAsInt());
    JsonObject full = depths.get(0).getAsJsonObject();
    for (String timing : new String[] {"djl_front_end_ms", "djl_encoder_ms", "djl_total_ms", "ort_total_ms"}) {
      JsonObject t = full.getAsJsonObject(timing);
      assertTrue(t.get("min").getAsDouble() > 0 && t.get("min").getAsDouble() <= t.get("median").getAsDouble(), timing);
    }
    assertTrue(o.get("peak_heap_bytes").getAsLong() > 0);
    assertEquals("not measured (python3-torch not installed)", fixture.get("pytorch_eager").getAsString());
    assertFalse(o.has("deadline_experiment"));
    // Half depth, ORT over DJL, selector FLOPs and selector time, for each of the two inputs.
    assertEquals(8, o.getAsJsonArray("checks").size());

    String md = Files.readString(markdown);
    assertTrue(md.startsWith("# Benchmarks\n"), md);
    assertTrue(md.contains("| model | input | layers |"), md);
    assertTrue(md.contains("./icld bench --model"), md);
    assertTrue(md.contains("cores (nproc)"), md);
  }

  @Test
  void runsTheDeadlineExperimentOnATestSplit() throws Exception {
    Path data = TinySetup.corpus(dir.resolve("data"), 1, 2, 1);
    Path model = dir.resolve("model");
    try (TaskModel m = TaskModel.create(Checkpoints.randomlyInitialised(TinySetup.config(4), 1),
        Task.KWS, LabelVocabulary.of(List.of("low", "mid", "high")),
        new LayerDrop(LayerDrop.Mode.NONE, 1, false), 2)) {
      m.save(model);
    }
    Path json = dir.resolve("bench.json");
    Path markdown = dir.resolve("BENCHMARKS.md");
    CliRun.Result r = CliRun.run("bench", "--model", model.toString(), "--data", data.toString(),
        "--seconds", "0.2", "--repeats", "1", "--warmups", "0", "--threads", "1",
        "--deadline-calls", "8", "--load-phase", "2", "--torch-python",
        dir.resolve("no-python3").toString(), "--json", json.toString(), "--markdown",
        markdown.toString());
    assertEquals(0, r.code(), r.err());
    String text = r.out();
    assertTrue(text.matches("(?s)deadline experiment: deadline \\d+\\.\\d ms \\(60% of the calibrated "
        + "full-depth latency of a test utterance of mean length\\)\n.*"), text);
    assertTrue(text.contains("Deadline controller under a changing load:"), text);
    assertTrue(text.contains("8 calls per budget over 6 test utterances"), text);

    JsonObject o = JsonParser.parseString(Files.readString(json)).getAsJsonObject()
        .getAsJsonObject("deadline_experiment");
    for (String field : List.of("policy", "layers", "deadline_ms", "default_deadline",
        "calibrated_full_depth_ms", "mean_seconds", "latency_model", "calls", "phase_length",
        "utterances", "metric", "rows")) {
      assertTrue(o.has(field), field);
    }
    assertEquals("first-k", o.get("policy").getAsString());
    assertTrue(o.get("default_deadline").getAsBoolean());
    assertEquals(0.6 * o.get("calibrated_full_depth_ms").getAsDouble(),
        o.get("deadline_ms").getAsDouble(), 1e-9);
    JsonArray rows = o.getAsJsonArray("rows");
    // The deadline and 4, 3, 2, 1 layers, each with the load off, on and both.
    assertEquals(15, rows.size());
    for (JsonElement e : rows) {
      JsonObject row = e.getAsJsonObject();
      for (String field : List.of("budget", "load", "calls", "met_share", "accuracy", "mean_layers",
          "p50_ms", "p95_ms")) {
        assertTrue(row.has(field), field);
      }
      assertEquals(row.get("load").getAsString().equals("all") ? 8 : 4, row.get("calls").getAsInt());
      double layers = row.get("mean_layers").getAsDouble();
      assertTrue(layers >= 1 && layers <= 4, row.toString());
      assertTrue(row.get("p50_ms").getAsDouble() <= row.get("p95_ms").getAsDouble(), row.toString());
    }
    assertEquals("3 layers", rows.get(6).getAsJsonObject().get("budget").getAsString());
    assertEquals(3, rows.get(6).getAsJsonObject().get("mean_layers").getAsDouble());
    assertTrue(Files.readString(markdown).contains("## Deadline controller under a changing load"));
  }

  @Test
  void theDeadlineExperimentNeedsAModelAndItsOptionsNeedData() {
    CliRun.Result r = CliRun.run("bench", "--data", dir.toString(), "--repeats", "1");
    assertEquals(1, r.code());
    assertTrue(r.err().contains("needs a fine-tuned model: --model DIR or --deadline-model DIR"), r.err());
    r = CliRun.run("bench", "--deadline", "40", "--repeats", "1");
    assertEquals(1, r.code());
    assertTrue(r.err().contains("need --data DIR"), r.err());
  }

  @Test
  void theSmallBackboneHasTheShapeOfModelsDefault() throws Exception {
    Path config = Path.of("models/default/config.json");
    assertEquals(ModelConfig.fromJson(Files.readString(config), config.toString()),
        BenchCommand.smallShape());
  }

  @Test
  void aBaselineNeedsAModelBothBuildsBench() {
    CliRun.Result r = CliRun.run("bench", "--baseline", "/tmp/old/icld.jar", "--repeats", "1");
    assertEquals(1, r.code());
    assertTrue(r.err().contains("--baseline needs --model DIR"), r.err());
  }

  @Test
  void aMissingModelDirectoryGivesOneErrorLine() {
    CliRun.Result r = CliRun.run("bench", "--model", "/nonexistent/model", "--repeats", "1");
    assertEquals(1, r.code());
    assertEquals("icld bench: /nonexistent/model: no such directory (a model is a directory "
        + "with config.json and its weights)\n", r.err());
  }
}
