package dev.icld.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.icld.data.Batch;
import dev.icld.data.BatchLoader;
import dev.icld.data.Corpus;
import dev.icld.data.LabelVocabulary;
import dev.icld.data.TargetKind;
import dev.icld.eval.TaskEvaluator;
import dev.icld.model.Checkpoints;
import dev.icld.model.FoundationModel;
import dev.icld.model.LayerDrop;
import dev.icld.model.LayerMask;
import dev.icld.model.Task;
import dev.icld.model.TaskModel;
import dev.icld.model.Torch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fine-tuning recipe: uniform-k LayerDrop, SpecAugment, the head learning rate, the cache. */
class FineTuningTest {
  @TempDir static Path data;
  @TempDir Path temp;

  private static Corpus train;
  private static Corpus dev;
  private static LabelVocabulary labels;

  private static final LayerDrop UNIFORM_K = new LayerDrop(LayerDrop.Mode.RANDOM, 1, true,
      LayerDrop.DepthSampling.UNIFORM_K, 0.75);
  private static final SpecAugment MASKS = new SpecAugment(0.2, 2, 0.1, 4);

  @BeforeAll
  static void writeCorpus() throws IOException {
    TinySetup.corpus(data, 6, 2, 5);
    train = TinySetup.load(data, "train", TargetKind.LABEL);
    dev = TinySetup.load(data, "dev", TargetKind.LABEL);
    labels = LabelVocabulary.fromTraining(train.utterances());
  }

  private static TaskModel classifier(int layers, LayerDrop drop) {
    return TaskModel.create(Checkpoints.randomlyInitialised(TinySetup.config(layers), 3),
        Task.KWS, labels, drop, 4);
  }

  /** The loss and every trainable parameter's gradient of one step. */
  private static Map<String, float[]> lossAndGradients(FineTuning objective, Batch batch,
      long seed) {
    Map<String, NDArray> parameters = objective.parameters();
    parameters.values().forEach(p -> p.setRequiresGradient(true));
    Map<String, float[]> out = new TreeMap<>();
    try (NDManager manager = Torch.newManager();
        GradientCollector collector = Torch.engine().newGradientCollector()) {
      StepOutput step = objective.step(batch, manager, new Random(seed));
      out.put("loss", new float[] {step.loss().getFloat()});
      collector.backward(step.loss());
      for (Map.Entry<String, NDArray> p : parameters.entrySet()) {
        try (NDArray gradient = p.getValue().getGradient()) {
          out.put(p.getKey(), gradient.toFloatArray());
          gradient.subi(gradient);
        }
      }
    } finally {
      parameters.values().forEach(p -> p.setRequiresGradient(false));
    }
    return out;
  }

  private static void assertSame(Map<String, float[]> expected, Map<String, float[]> actual) {
    assertEquals(expected.keySet(), actual.keySet());
    expected.forEach((name, v) -> assertArrayEquals(v, actual.get(name), name));
  }

  @Test
  void cachedFeaturesGiveExactlyTheUncachedLossAndGradients() throws IOException {
    try (TaskModel model = classifier(2, UNIFORM_K);
        BatchLoader loader = TinySetup.trainLoader(train, labels, 1)) {
      // The batch's longest utterance sets the padded length. The cache is filled by batches of
      // that padded length and other sizes, as later epochs cut batches anew: two missing rows,
      // two missing rows beside a cached one, and a lone missing row.
      int[] batch = {0, 1, 2, 3, 4};
      int longest = 0;
      for (int i : batch) {
        longest = train.get(i).samples() > train.get(longest).samples() ? i : longest;
      }
      int l = longest;
      int[] rest = Arrays.stream(batch).filter(i -> i != l).toArray();
      FineTuning uncached = new FineTuning(model, false, MASKS, 0, null);
      FineTuning cached = new FineTuning(model, false, MASKS, 1L << 30, null);
      assertNull(uncached.featureCache());
      lossAndGradients(cached, loader.load(new int[] {rest[0], l}), 1);
      lossAndGradients(cached, loader.load(new int[] {rest[1], l, rest[2]}), 2);
      lossAndGradients(cached, loader.load(new int[] {l, rest[3]}), 3);
      assertEquals(batch.length, cached.featureCache().rows());
      Batch target = loader.load(batch);

      Map<String, float[]> expected = lossAndGradients(uncached, target, 7);
      Map<String, float[]> actual = lossAndGradients(cached, target, 7);

      assertEquals(batch.length, cached.featureCache().rows(), "every row was a hit");
      assertSame(expected, actual);
      assertTrue(expected.containsKey(FoundationModel.MASK_EMBEDDING));

      // A batch of one runs another conv kernel: its row is not taken from a larger batch.
      Batch single = loader.load(new int[] {l});
      assertSame(lossAndGradients(uncached, single, 8), lossAndGradients(cached, single, 8));
      assertSame(lossAndGradients(uncached, single, 9), lossAndGradients(cached, single, 9));
      assertEquals(batch.length + 1, cached.featureCache().rows());
    }
  }

  @Test
  void aFullCacheComputesTheRestAndGivesTheSameNumbers() throws IOException {
    try (TaskModel model = classifier(2, LayerDrop.none());
        BatchLoader loader = TinySetup.trainLoader(train, labels, 1)) {
      Batch batch = loader.load(new int[] {5, 6, 7});
      // Room for about one row of ~10 frames x 16 channels.
      FineTuning small = new FineTuning(model, false, SpecAugment.NONE, 1000, null);
      FineTuning none = new FineTuning(model, false, SpecAugment.NONE, 0, null);
      Map<String, float[]> expected = lossAndGradients(none, batch, 3);
      lossAndGradients(small, batch, 3);
      assertEquals(1, small.featureCache().rows());
      assertTrue(small.featureCacheStatus().contains("full"), small.featureCacheStatus());
      assertSame(expected, lossAndGradients(small, batch, 3));
    }
  }

  @Test
  void aTrainedFeatureEncoderIsNeverCached() {
    try (TaskModel model = classifier(1, LayerDrop.none())) {
      FineTuning objective = new FineTuning(model, true, null);
      assertNull(objective.featureCache());
      assertTrue(objective.parameters().keySet().containsAll(
          model.backbone().featureEncoderParameterNames()));
    }
  }

  @Test
  void uniformKShowsTheFullStackAndEveryDepth() {
    int layers = 6;
    int draws = 12_000;
    int[] depths = new int[layers + 1];
    try (TaskModel model = classifier(layers, UNIFORM_K); NDManager manager = Torch.newManager()) {
      FineTuning objective = new FineTuning(model, false, null);
      Random random = new Random(11);
      int[] perLayer = new int[layers];
      for (int d = 0; d < draws / 4; d++) {
        // Per utterance: one row per utterance, each its own draw.
        LayerMask mask = objective.sampleMask(4, manager, random);
        float[] gates = mask.gates().toFloatArray();
        for (int b = 0; b < 4; b++) {
          int kept = 0;
          for (int i = 0; i < layers; i++) {
            kept += gates[b * layers + i] == 1f ? 1 : 0;
            perLayer[i] += gates[b * layers + i] == 1f ? 1 : 0;
          }
          depths[kept]++;
        }
      }
      assertEquals(0, depths[0]);
      // P(all) = 0.25 + 0.75 / L; P(k) = 0.75 / L for k < L.
      assertEquals(0.25 + 0.75 / layers, depths[layers] / (double) draws, 0.02);
      for (int k = 1; k < layers; k++) {
        assertEquals(0.75 / layers, depths[k] / (double) draws, 0.015, "k = " + k);
      }
      // No layer is favoured: each runs with the same frequency.
      for (int i = 0; i < layers; i++) {
        assertEquals(perLayer[0], perLayer[i], 0.05 * perLayer[0], "layer " + i);
      }
    }
  }

  @Test
  void uniformKPerBatchKeepsTheSameLayersForEveryUtterance() {
    LayerDrop perBatch = new LayerDrop(LayerDrop.Mode.RANDOM, 1, false,
        LayerDrop.DepthSampling.UNIFORM_K, 1.0);
    try (TaskModel model = classifier(5, perBatch); NDManager manager = Torch.newManager()) {
      FineTuning objective = new FineTuning(model, false, null);
      boolean sawShallow = false;
      for (int d = 0; d < 50; d++) {
        LayerMask mask = objective.sampleMask(3, manager, new Random(d));
        assertNull(mask.gates());
        assertTrue(mask.executedCount() >= 1);
        sawShallow |= mask.executedCount() < 5;
      }
      assertTrue(sawShallow);
    }
  }

  @Test
  void hfSpanCountsAndPlacement() {
    // 100 valid frames, prob 0.3, length 5: int(0.3 * 100 / 5 + eps) = 6 spans, inside the
    // valid frames; 20 valid frames: int(1.2 + eps) = 1 or 2, at least the minimum 2.
    Random random = new Random(4);
    for (int trial = 0; trial < 200; trial++) {
      boolean[][] mask = SpecAugment.spans(new int[] {100, 20, 3}, 100, 0.3, 5, 2, random);
      int full = count(mask[0]);
      assertTrue(full >= 5 && full <= 30, "masked " + full);
      for (int t = 20; t < 100; t++) {
        assertFalse(mask[1][t], "beyond the valid frames at " + t);
      }
      assertTrue(count(mask[1]) >= 5, "at least one span of 5 (two may overlap)");
      assertEquals(0, count(mask[2]), "shorter than a span: not masked");
    }
    // Long utterances get about the asked fraction of frames as span starts.
    SpecAugment augment = new SpecAugment(0.05, 10, 0, 10);
    int starts = 0;
    int[] lengths = new int[200];
    Arrays.fill(lengths, 1000);
    boolean[][] mask = augment.timeMask(lengths, 1000, new Random(9));
    for (boolean[] row : mask) {
      for (int t = 0; t < row.length; t++) {
        starts += row[t] && (t == 0 || !row[t - 1]) ? 1 : 0;
      }
    }
    // 5 spans per utterance, a few merged where they overlap.
    assertEquals(5.0, starts / 200.0, 0.6);
    assertNull(SpecAugment.NONE.timeMask(lengths, 1000, new Random(1)));
    assertNull(SpecAugment.NONE.channelMask(3, 16, new Random(1)));
  }

  private static int count(boolean[] row) {
    int n = 0;
    for (boolean b : row) {
      n += b ? 1 : 0;
    }
    return n;
  }

  @Test
  void maskedFramesBecomeTheEmbeddingAndMaskedChannelsZero() {
    try (FoundationModel model = Checkpoints.randomlyInitialised(TinySetup.config(1), 2);
        NDManager manager = Torch.newManager()) {
      float[][] audio = new float[2][3200];
      Random random = new Random(1);
      for (float[] row : audio) {
        for (int i = 0; i < row.length; i++) {
          row[i] = (float) random.nextGaussian() * 0.1f;
        }
      }
      NDArray features = model.featureEncoderOutput(manager.create(audio));
      int frames = (int) features.getShape().get(1);
      int hidden = model.config().hiddenSize();
      int[] lengths = {frames, frames};
      boolean[][] time = new boolean[2][frames];
      time[0][1] = true;
      time[1][frames - 1] = true;
      boolean[][] channels = new boolean[2][hidden];
      channels[1][3] = true;
      float[] plain = model.frontEndFromFeatures(features, lengths, null, null).projected()
          .toFloatArray();
      float[] masked = model.frontEndFromFeatures(features, lengths, time, channels).projected()
          .toFloatArray();
      float[] embedding = model.parameters().get(FoundationModel.MASK_EMBEDDING).toFloatArray();
      for (int b = 0; b < 2; b++) {
        for (int t = 0; t < frames; t++) {
          for (int d = 0; d < hidden; d++) {
            int i = (b * frames + t) * hidden + d;
            float expected = channels[b][d] ? 0f : time[b][t] ? embedding[d] : plain[i];
            assertEquals(expected, masked[i], 0f, "b " + b + " t " + t + " d " + d);
          }
        }
      }
      // The cached path feeds frontEndFromFeatures; unmasked, it is the usual front end.
      assertArrayEquals(plain, model.frontEnd(manager.create(audio), new int[] {3200, 3200})
          .projected().toFloatArray());
    }
  }

  @Test
  void theMaskEmbeddingIsTrainedOnlyWithTimeMasking() {
    try (TaskModel model = classifier(1, LayerDrop.none())) {
      assertFalse(new FineTuning(model, false, null).parameters()
          .containsKey(FoundationModel.MASK_EMBEDDING));
      assertFalse(new FineTuning(model, false, new SpecAugment(0, 10, 0.2, 2), null).parameters()
          .containsKey(FoundationModel.MASK_EMBEDDING));
      assertTrue(new FineTuning(model, false, new SpecAugment(0.1, 2, 0, 10), null).parameters()
          .containsKey(FoundationModel.MASK_EMBEDDING));
    }
  }

  @Test
  void theHeadsFollowTheirOwnPeakOnTheSameSchedule() throws IOException {
    Path run = temp.resolve("run");
    Map<String, float[]> before = new TreeMap<>();
    Map<String, float[]> after = new TreeMap<>();
    try (TaskModel model = classifier(2, LayerDrop.none());
        BatchLoader loader = TinySetup.trainLoader(train, labels, 1)) {
      FineTuning objective = new FineTuning(model, false, null);
      objective.parameters().forEach((n, p) -> before.put(n, p.toFloatArray()));
      new Trainer().fit(objective, loader, null, run, TrainerOptions.defaults()
          .withProgress(false).withMaxSteps(4).withWarmupFraction(0.5).withLearningRate(1e-6)
          .withHeadLearningRate(1e-2).withAdam(new AdamW.Options(0.9, 0.98, 1e-12, 0)));
      objective.parameters().forEach((n, p) -> after.put(n, p.toFloatArray()));
    }
    // Adam moves each weight by at most about the sum of the rates: 4 steps of up to the peak.
    double headMove = 0;
    double encoderMove = 0;
    for (String name : before.keySet()) {
      float[] a = before.get(name);
      float[] b = after.get(name);
      for (int i = 0; i < a.length; i++) {
        double move = Math.abs(a[i] - b[i]);
        if (name.startsWith("heads.")) {
          headMove = Math.max(headMove, move);
        } else {
          encoderMove = Math.max(encoderMove, move);
        }
      }
    }
    assertTrue(headMove > 5e-3 && headMove < 4e-2, "head moved " + headMove);
    assertTrue(encoderMove > 0 && encoderMove < 4e-6, "encoder moved " + encoderMove);
    // Warm-up (2 steps) then linear decay, the same ratio at every step.
    List<String> lines = Files.readAllLines(run.resolve(Trainer.METRICS));
    double[] expected = {0.5, 1.0, 1.0, 0.5};
    for (int step = 0; step < 4; step++) {
      JsonObject o = JsonParser.parseString(lines.get(step)).getAsJsonObject();
      assertEquals(expected[step] * 1e-6, o.get("learning_rate").getAsDouble(), 1e-15);
      assertEquals(expected[step] * 1e-2, o.get("head_learning_rate").getAsDouble(), 1e-12);
    }
  }

  @Test
  void aKilledRunWithTheWholeRecipeResumesToBitIdenticalParameters() throws IOException {
    TrainerOptions options = TrainerOptions.defaults().withProgress(false).withEpochs(2)
        .withLearningRate(1e-3).withHeadLearningRate(1e-2).withCheckpointEvery(2).withSeed(5);
    Map<String, float[]> expected = new TreeMap<>();
    try (TaskModel model = classifier(3, UNIFORM_K);
        BatchLoader trainLoader = TinySetup.trainLoader(train, labels, 5);
        BatchLoader devLoader = TinySetup.evalLoader(dev, labels)) {
      FineTuning objective = new FineTuning(model, false, MASKS,
          d -> TaskEvaluator.evaluate(model, d));
      new Trainer().fit(objective, trainLoader, devLoader, temp.resolve("straight"), options);
      objective.parameters().forEach((n, p) -> expected.put(n, p.toFloatArray()));
    }
    Path interrupted = temp.resolve("interrupted");
    for (int halt : new int[] {3, 0}) {
      try (TaskModel model = classifier(3, UNIFORM_K);
          BatchLoader trainLoader = TinySetup.trainLoader(train, labels, 5);
          BatchLoader devLoader = TinySetup.evalLoader(dev, labels)) {
        FineTuning objective = new FineTuning(model, false, MASKS,
            d -> TaskEvaluator.evaluate(model, d));
        new Trainer().fit(objective, trainLoader, devLoader, interrupted,
            options.withHaltAfterSteps(halt));
        if (halt == 0) {
          Map<String, float[]> actual = new TreeMap<>();
          objective.parameters().forEach((n, p) -> actual.put(n, p.toFloatArray()));
          assertSame(expected, actual);
        }
      }
    }
  }
}
