package dev.icld.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.icld.model.Checkpoints;
import dev.icld.model.FoundationModel;
import dev.icld.model.LayerDrop;
import dev.icld.model.TaskModel;
import dev.icld.train.TinySetup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FinetuneCommandTest {
  @TempDir Path temp;

  private Path randomModel() throws IOException {
    Path dir = temp.resolve("random-init");
    try (FoundationModel model = Checkpoints.randomlyInitialised(TinySetup.config(2), 1)) {
      Checkpoints.save(model, dir);
    }
    return dir;
  }

  @Test
  void finetunesEvaluatesAndWritesAModelDirectory() throws IOException {
    Path data = TinySetup.corpus(temp.resolve("data"), 4, 2, 3);
    Path out = temp.resolve("out");
    String[] args = {"finetune", "--model", randomModel().toString(), "--task", "kws", "--data",
        data.toString(), "--out", out.toString(), "--layer-drop", "early-exit", "--max-steps", "3",
        "--batch-seconds", "1.5", "--lr", "1e-3"};

    CliRun.Result first = CliRun.run(args);

    assertEquals(0, first.code(), first.err());
    assertTrue(first.out().contains("dev          full depth (2 layers): accuracy"), first.out());
    assertTrue(first.out().contains("test         full depth (2 layers): accuracy"), first.out());
    try (TaskModel model = TaskModel.load(out)) {
      assertEquals(List.of(1, 2), model.exits());
    }
    JsonObject summary = JsonParser.parseString(
        Files.readString(out.resolve("training/summary.json"))).getAsJsonObject();
    assertEquals(3, summary.get("steps").getAsInt());
    assertTrue(Files.exists(out.resolve("training/metrics.jsonl")));
    assertTrue(Files.exists(out.resolve("evaluation.json")));
    assertEquals(0, CliRun.run("inspect", out.toString()).code());

    // The same command again finds the finished run and only re-evaluates.
    CliRun.Result again = CliRun.run(args);
    assertEquals(0, again.code(), again.err());
    assertTrue(again.out().contains("trained 3 steps"), again.out());

    // More steps on the same --out would silently continue the finished run: refused.
    String[] longer = args.clone();
    longer[12] = "6";
    CliRun.Result refused = CliRun.run(longer);
    assertEquals(1, refused.code(), refused.out());
    assertTrue(refused.err().contains(out.resolve("training")
        + ": holds a fine-tuning run with other options"), refused.err());
    assertTrue(refused.err().contains("max steps 3") && refused.err().contains("max steps 6"),
        refused.err());
    assertEquals(1, refused.err().strip().lines().count(), refused.err());
  }

  @Test
  void aDivergingRunIsOneClearLine() throws IOException {
    Path data = TinySetup.corpus(temp.resolve("data"), 4, 2, 3);
    CliRun.Result r = CliRun.run("finetune", "--model", randomModel().toString(), "--task", "kws", "--data",
        data.toString(), "--out", temp.resolve("out").toString(), "--max-steps", "3",
        "--batch-seconds", "1.5", "--lr", "1e30");
    assertEquals(1, r.code(), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().startsWith("icld finetune: training loss is "), r.err());
    assertTrue(r.err().contains("lower the learning rate"), r.err());
  }

  @Test
  void aMissingDataDirectoryIsOneClearLine() throws IOException {
    Path missing = temp.resolve("nope");
    CliRun.Result r = CliRun.run("finetune", "--model", randomModel().toString(), "--task", "kws", "--data",
        missing.toString(), "--out", temp.resolve("out").toString());
    assertEquals(1, r.code());
    assertEquals("icld finetune: " + missing + ": data directory not found", r.err().strip());
  }

  @Test
  void aDirectoryThatIsNotAModelIsOneClearLine() throws IOException {
    Path data = TinySetup.corpus(temp.resolve("data"), 1, 1, 3);
    CliRun.Result r = CliRun.run("finetune", "--model", data.toString(), "--task", "kws", "--data",
        data.toString(), "--out", temp.resolve("out").toString());
    assertEquals(1, r.code());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().startsWith("icld finetune: " + data + ": no model.safetensors"), r.err());
  }

  @Test
  void anUnknownTaskOrModeIsOneClearLine() throws IOException {
    CliRun.Result r = CliRun.run("finetune", "--model", "m", "--task", "speech", "--data", "d", "--out", "o");
    assertEquals(1, r.code());
    assertTrue(r.err().strip().startsWith("icld finetune: unknown task \"speech\""), r.err());
    r = CliRun.run("finetune", "--model", "m", "--task", "asr", "--data", "d", "--out", "o",
        "--layer-drop", "sometimes");
    assertTrue(r.err().strip().startsWith("icld finetune: unknown layer-drop mode"), r.err());
  }

  @Test
  void theRecipeOptionsReachTheModelAndTheRunSettings() throws IOException {
    Path data = TinySetup.corpus(temp.resolve("data"), 4, 2, 3);
    Path out = temp.resolve("out");
    String[] args = {"finetune", "--model", randomModel().toString(), "--task", "kws", "--data",
        data.toString(), "--out", out.toString(), "--layer-drop", "random", "--depth-sampling",
        "uniform-k", "--subset-prob", "0.6", "--per-utterance", "--head-lr", "2e-3", "--lr",
        "1e-4", "--mask-time-prob", "0.1", "--mask-time-length", "2", "--mask-feature-prob",
        "0.05", "--mask-feature-length", "4", "--max-steps", "3", "--batch-seconds", "1.5"};

    CliRun.Result first = CliRun.run(args);

    assertEquals(0, first.code(), first.err());
    assertTrue(first.out().contains("layer drop random (uniform-k, subset 0.6, per utterance)"),
        first.out());
    assertTrue(first.out().contains("lr 1.0E-4, head lr 0.002; SpecAugment time 0.1 x 2, "
        + "channels 0.05 x 4"), first.out());
    assertTrue(first.out().matches("(?s).*feature cache \\d+ rows of conv features, .* MiB.*"),
        first.out());
    try (TaskModel model = TaskModel.load(out)) {
      assertEquals(new LayerDrop(LayerDrop.Mode.RANDOM, 1, true,
          LayerDrop.DepthSampling.UNIFORM_K, 0.6), model.layerDrop());
    }
    String settings = Files.readString(out.resolve("training/options.txt"));
    assertTrue(settings.contains("depth sampling uniform-k, subset prob 0.6, head lr 0.002, "
        + "mask time 0.1 x 2, mask feature 0.05 x 4"), settings);
    JsonObject step = JsonParser.parseString(
        Files.readAllLines(out.resolve("training/metrics.jsonl")).get(1)).getAsJsonObject();
    assertEquals(20 * step.get("learning_rate").getAsDouble(),
        step.get("head_learning_rate").getAsDouble(), 1e-12);
    assertTrue(step.has("masked_frames"), step.toString());

    // Another masking on the same --out is another run: refused.
    String[] other = args.clone();
    other[21] = "0.2";
    CliRun.Result refused = CliRun.run(other);
    assertEquals(1, refused.code(), refused.out());
    assertTrue(refused.err().contains("mask time 0.2 x 2"), refused.err());
  }

  @Test
  void badRecipeOptionsAreOneClearLineNamingTheOption() throws IOException {
    Path data = TinySetup.corpus(temp.resolve("data"), 1, 1, 3);
    String model = randomModel().toString();
    String[][] cases = {
        {"--mask-time-prob", "1.5", "--mask-time-prob must be in [0, 1], got 1.5"},
        {"--mask-feature-prob", "-0.1", "--mask-feature-prob must be in [0, 1], got -0.1"},
        {"--mask-time-length", "0", "--mask-time-length must be at least 1, got 0"},
        {"--mask-feature-length", "0", "--mask-feature-length must be at least 1, got 0"},
        {"--head-lr", "0", "--head-lr must be positive, got 0.0"},
        {"--subset-prob", "1.2", "--subset-prob must be in [0, 1], got 1.2"},
        {"--keep-prob", "0", "--keep-prob must be in (0, 1], got 0.0"},
        {"--depth-sampling", "uniform-k",
            "--depth-sampling uniform-k needs --layer-drop random, got --layer-drop none"},
        {"--depth-sampling", "often", "unknown depth sampling \"often\" (expected bernoulli or "
            + "uniform-k)"},
    };
    for (String[] c : cases) {
      CliRun.Result r = CliRun.run("finetune", "--model", model, "--task", "kws", "--data", data.toString(),
          "--out", temp.resolve("out").toString(), c[0], c[1]);
      assertEquals(1, r.code(), r.out());
      assertEquals("icld finetune: " + c[2], r.err().strip());
    }
  }
}
