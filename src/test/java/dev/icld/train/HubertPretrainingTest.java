package dev.icld.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.icld.data.BatchLoader;
import dev.icld.data.BatchSampler;
import dev.icld.data.Corpus;
import dev.icld.data.LoadOptions;
import dev.icld.data.TargetKind;
import dev.icld.model.Checkpoints;
import dev.icld.model.FoundationModel;
import dev.icld.model.ModelConfig;
import dev.icld.model.ModelType;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The masked-prediction objective learns: its loss falls over a few dozen steps on a tiny set. */
class HubertPretrainingTest {
  @TempDir Path temp;

  /** 2 layers of width 32, a 3-layer conv stack with the Base hop of 320 samples (50 Hz). */
  static ModelConfig tinyConfig() {
    return new ModelConfig(ModelType.HUBERT, 32, 2, 4, 64, "gelu", "gelu", List.of(32, 32, 32),
        List.of(10, 8, 8), List.of(5, 8, 8), false, "group", 16, 4, false, 1e-5, true, 0, 0);
  }

  @Test
  void maskedPredictionLossFallsOnATinySet() throws Exception {
    Path corpusDir = temp.resolve("corpus");
    SpeechFixtures.corpus(corpusDir, new String[] {"a", "b"}, new String[] {"c"}, new String[0],
        4, 16_000);
    Corpus train = Corpus.load(corpusDir.resolve("train.jsonl"),
        LoadOptions.of(TargetKind.NONE).cachingAudio());
    Corpus dev = Corpus.load(corpusDir.resolve("dev.jsonl"),
        LoadOptions.of(TargetKind.NONE).cachingAudio());
    ClusterTargets targets = ClusterTargets.build(train, dev, new MfccFrameFeatures(),
        new ClusterTargets.Options(8, 5000, 30, 1), temp.resolve("targets"));
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    try (FoundationModel model = Checkpoints.randomlyInitialised(tinyConfig(), 1);
        MaskedPredictionHead head = MaskedPredictionHead.initialise(32, 16, 8, new Random(2));
        BatchLoader trainLoader =
            new BatchLoader(train, null, BatchSampler.Options.training(4, 0, 3), 0);
        BatchLoader devLoader =
            new BatchLoader(dev, null, BatchSampler.Options.evaluation(4, 0), 0)) {
      HubertPretraining objective =
          new HubertPretraining(model, head, targets, SpanMasking.hubert(), 4);
      assertEquals(50.0, HubertPretraining.frameRate(model));
      Evaluation before = objective.evaluate(devLoader);
      TrainerOptions options = TrainerOptions.defaults().withEpochs(30).withMaxSteps(40)
          .withLearningRate(2e-3).withWarmupFraction(0.1).withProgress(false).withSeed(5);
      TrainingSummary summary = new Trainer(new PrintWriter(printed, true)).fit(objective, trainLoader,
          devLoader, temp.resolve("run"), options);
      assertEquals(40, summary.steps());

      List<JsonObject> steps = Files.readAllLines(temp.resolve("run").resolve(Trainer.METRICS))
          .stream().map(line -> JsonParser.parseString(line).getAsJsonObject())
          .filter(o -> o.get("event").getAsString().equals("step")).toList();
      assertEquals(40, steps.size());
      double first = meanMaskedLoss(steps.subList(0, 5));
      double last = meanMaskedLoss(steps.subList(35, 40));
      // 0.80 on this (fixed) corpus; 0.72 to 0.84 over other fixture audio: the per-step loss is
      // noisy (new span masks each step), so the bar sits clear of that spread.
      assertTrue(last < 0.9 * first, "masked loss " + first + " -> " + last);
      assertTrue(steps.get(0).get("masked_frames").getAsDouble() > 0);
      Evaluation after = objective.evaluate(devLoader);
      assertTrue(after.metrics().get("masked_loss") < before.metrics().get("masked_loss"),
          before.metrics() + " -> " + after.metrics());
      // Dev evaluation draws the same masks every time: evaluating twice gives the same numbers.
      assertEquals(after.metrics(), objective.evaluate(devLoader).metrics());
    }
  }

  private static double meanMaskedLoss(List<JsonObject> steps) {
    return steps.stream().mapToDouble(o -> o.get("masked_loss").getAsDouble()).average()
        .orElseThrow();
  }
}
