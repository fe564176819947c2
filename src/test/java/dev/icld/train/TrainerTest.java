package dev.icld.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.icld.data.Batch;
import dev.icld.data.BatchLoader;
import dev.icld.data.Corpus;
import dev.icld.data.LabelVocabulary;
import dev.icld.data.TargetKind;
import dev.icld.eval.TaskEvaluator;
import dev.icld.model.Checkpoints;
import dev.icld.model.LayerDrop;
import dev.icld.model.LayerMask;
import dev.icld.model.Task;
import dev.icld.model.TaskModel;
import dev.icld.model.Torch;
import dev.icld.model.io.SafeTensors;
import dev.icld.model.io.TensorData;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
  @TempDir static Path data;
  @TempDir Path temp;

  private static Corpus train;
  private static Corpus dev;
  private static Corpus asrTrain;
  private static LabelVocabulary labels;

  @BeforeAll
  static void writeCorpus() throws IOException {
    TinySetup.corpus(data, 12, 4, 1);
    train = TinySetup.load(data, "train", TargetKind.LABEL);
    dev = TinySetup.load(data, "dev", TargetKind.LABEL);
    asrTrain = TinySetup.load(data, "train", TargetKind.TRANSCRIPT);
    labels = LabelVocabulary.fromTraining(train.utterances());
  }

  private static TaskModel classifier(int layers, LayerDrop drop) {
    return TaskModel.create(Checkpoints.randomlyInitialised(TinySetup.config(layers), 3),
        Task.KWS, labels, drop, 4);
  }

  private static FineTuning objective(TaskModel model, boolean trainFeatureEncoder) {
    return new FineTuning(model, trainFeatureEncoder, d -> TaskEvaluator.evaluate(model, d));
  }

  private static TrainerOptions quiet() {
    return TrainerOptions.defaults().withProgress(false).withLearningRate(2e-3).withSeed(9);
  }

  private static Map<String, float[]> values(Map<String, NDArray> parameters) {
    Map<String, float[]> out = new java.util.TreeMap<>();
    parameters.forEach((name, p) -> out.put(name, p.toFloatArray()));
    return out;
  }

  private static void assertSameValues(Map<String, float[]> expected, Map<String, float[]> actual) {
    assertEquals(expected.keySet(), actual.keySet());
    expected.forEach((name, v) -> assertArrayEquals(v, actual.get(name), name));
  }

  /** metrics.jsonl without its timing field, which differs between any two runs. */
  private static List<String> metricLines(Path runDir) throws IOException {
    List<String> lines = new ArrayList<>();
    for (String line : Files.readAllLines(runDir.resolve(Trainer.METRICS))) {
      JsonObject o = JsonParser.parseString(line).getAsJsonObject();
      o.remove("utterances_per_second");
      lines.add(o.toString());
    }
    return lines;
  }

  @Test
  void aKilledRunResumesToBitIdenticalParameters() throws IOException {
    LayerDrop drop = new LayerDrop(LayerDrop.Mode.RANDOM, 0.5, true);
    TrainerOptions options = quiet().withEpochs(2).withAccumulation(2).withCheckpointEvery(2);
    Path straight = temp.resolve("straight");
    Path interrupted = temp.resolve("interrupted");
    Map<String, float[]> expected;
    TrainingSummary uninterrupted;
    try (TaskModel model = classifier(3, drop);
        BatchLoader trainLoader = TinySetup.trainLoader(train, labels, 9);
        BatchLoader devLoader = TinySetup.evalLoader(dev, labels)) {
      uninterrupted = new Trainer().fit(objective(model, false), trainLoader, devLoader, straight,
          options);
      expected = values(model.headParameters());
      expected.putAll(values(model.backbone().parameters()));
    }
    // Killed after step 3 (the last checkpoint is step 2), then after step 5 of the resumed run:
    // each restart builds everything anew, as a new process would.
    for (int halt : new int[] {3, 5, 0}) {
      try (TaskModel model = classifier(3, drop);
          BatchLoader trainLoader = TinySetup.trainLoader(train, labels, 9);
          BatchLoader devLoader = TinySetup.evalLoader(dev, labels)) {
        TrainingSummary summary = new Trainer().fit(objective(model, false), trainLoader,
            devLoader, interrupted, options.withHaltAfterSteps(halt));
        if (halt > 0) {
          assertEquals("halted", summary.stopReason());
          assertEquals(halt, summary.steps());
          continue;
        }
        assertEquals(uninterrupted.steps(), summary.steps());
        assertEquals(uninterrupted.best(), summary.best());
        Map<String, float[]> actual = values(model.headParameters());
        actual.putAll(values(model.backbone().parameters()));
        assertSameValues(expected, actual);
      }
    }
    assertEquals(metricLines(straight), metricLines(interrupted));
    Path latest = straight.resolve("checkpoints").resolve(
        Files.readString(straight.resolve("checkpoints/latest")).trim());
    Path latestResumed = interrupted.resolve("checkpoints").resolve(
        Files.readString(interrupted.resolve("checkpoints/latest")).trim());
    for (String file : new String[] {"parameters.safetensors", "optimizer.safetensors"}) {
      Map<String, TensorData> a = SafeTensors.read(latest.resolve(file));
      Map<String, TensorData> b = SafeTensors.read(latestResumed.resolve(file));
      assertEquals(a.keySet(), b.keySet());
      a.forEach((name, t) -> assertArrayEquals(t.values(), b.get(name).values(), file + " " + name));
    }
    assertTrue(Files.exists(interrupted.resolve(Trainer.SUMMARY)));
  }

  @Test
  void parametersAndMomentsOfSkippedLayersStayBitIdentical() throws IOException {
    int layers = 4;
    LayerDrop drop = new LayerDrop(LayerDrop.Mode.RANDOM, 0.5, false);
    // Find a seed whose third step skips a layer that ran in an earlier step (so that it has
    // moments a careless optimizer would apply).
    long seed = -1;
    int skipped = -1;
    try (TaskModel probe = classifier(layers, drop); NDManager manager = Torch.newManager()) {
      FineTuning objective = objective(probe, false);
      for (long s = 0; s < 100 && seed < 0; s++) {
        boolean[] ranBefore = new boolean[layers];
        for (int step = 0; step < 2; step++) {
          LayerMask mask = objective.sampleMask(6, manager, Trainer.stepRandom(s, step, 0));
          for (int i = 0; i < layers; i++) {
            ranBefore[i] |= mask.executes(i);
          }
        }
        LayerMask third = objective.sampleMask(6, manager, Trainer.stepRandom(s, 2, 0));
        for (int i = 0; i < layers && seed < 0; i++) {
          if (ranBefore[i] && !third.executes(i)) {
            seed = s;
            skipped = i;
          }
        }
      }
    }
    assertTrue(seed >= 0);
    Path run = temp.resolve("run");
    try (TaskModel model = classifier(layers, drop);
        BatchLoader trainLoader = TinySetup.trainLoader(train, labels, seed)) {
      new Trainer().fit(objective(model, false), trainLoader, null, run,
          quiet().withSeed(seed).withMaxSteps(3).withCheckpointEvery(1).withKeepCheckpoints(10));
    }
    Path before = run.resolve("checkpoints/step-00000002");
    Path after = run.resolve("checkpoints/step-00000003");
    Map<String, TensorData> p0 = SafeTensors.read(before.resolve("parameters.safetensors"));
    Map<String, TensorData> p1 = SafeTensors.read(after.resolve("parameters.safetensors"));
    Map<String, TensorData> m0 = SafeTensors.read(before.resolve("optimizer.safetensors"));
    Map<String, TensorData> m1 = SafeTensors.read(after.resolve("optimizer.safetensors"));
    String prefix = "encoder.layers." + skipped + ".";
    int checked = 0;
    for (String name : p0.keySet()) {
      if (name.startsWith(prefix)) {
        assertArrayEquals(p0.get(name).values(), p1.get(name).values(), name);
        for (String part : new String[] {".exp_avg", ".exp_avg_sq", ".step"}) {
          assertArrayEquals(m0.get(name + part).values(), m1.get(name + part).values(), name + part);
        }
        checked++;
      }
    }
    assertTrue(checked > 0);
    // The heads did step.
    assertFalse(java.util.Arrays.equals(p0.get("heads.0.weight").values(),
        p1.get("heads.0.weight").values()));
  }

  @Test
  void classificationLearnsAnEasyTask() throws IOException {
    StringWriter printed = new StringWriter();
    try (TaskModel model = classifier(2, LayerDrop.none());
        BatchLoader trainLoader = TinySetup.trainLoader(train, labels, 1);
        BatchLoader devLoader = TinySetup.evalLoader(dev, labels)) {
      TrainingSummary summary = new Trainer(new PrintWriter(printed)).fit(
          objective(model, true), trainLoader, devLoader, temp, quiet().withEpochs(8)
              .withPatience(3).withProgress(true).withWarmupFraction(0.1));
      assertTrue(summary.best().score() >= 0.9, "dev accuracy " + summary.best());
      // The model returned holds the best evaluation's parameters.
      assertEquals(summary.best().score(), TaskEvaluator.evaluate(model, devLoader).score());
    }
    assertTrue(printed.toString().contains("best dev accuracy"), printed.toString());
    JsonObject summary =
        JsonParser.parseString(Files.readString(temp.resolve(Trainer.SUMMARY))).getAsJsonObject();
    assertTrue(summary.has("best_score"));
  }

  @Test
  void ctcLossDecreases() throws IOException {
    Path run = temp.resolve("asr");
    try (TaskModel model = TaskModel.create(
            Checkpoints.randomlyInitialised(TinySetup.config(2), 3), Task.ASR, null,
            LayerDrop.none(), 4);
        BatchLoader trainLoader = TinySetup.trainLoader(asrTrain, null, 2)) {
      new Trainer().fit(objective(model, false), trainLoader, null, run,
          quiet().withEpochs(4).withLearningRate(3e-3));
    }
    List<Double> losses = new ArrayList<>();
    for (String line : Files.readAllLines(run.resolve(Trainer.METRICS))) {
      losses.add(JsonParser.parseString(line).getAsJsonObject().get("loss").getAsDouble());
    }
    double first = losses.subList(0, 4).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    int n = losses.size();
    double last = losses.subList(n - 4, n).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    assertTrue(last < 0.7 * first, "CTC loss from " + first + " to " + last);
  }

  /**
   * The best parameters are written at an evaluation and read back at the end, possibly by a
   * later process: a file altered in between must not become the trained model.
   */
  @Test
  void aCorruptedBestParameterFileIsRefusedAtTheEnd() throws IOException {
    Path run = temp.resolve("best");
    for (int attempt = 0; attempt < 2; attempt++) {
      try (TaskModel model = classifier(2, LayerDrop.none());
          BatchLoader trainLoader = TinySetup.trainLoader(train, labels, 1);
          BatchLoader devLoader = TinySetup.evalLoader(dev, labels)) {
        if (attempt == 0) {
          new Trainer().fit(objective(model, false), trainLoader, devLoader, run,
              quiet().withEpochs(1));
          byte[] best = Files.readAllBytes(run.resolve(Trainer.BEST));
          best[best.length - 1] ^= 1;
          Files.write(run.resolve(Trainer.BEST), best);
          continue;
        }
        // The run is complete, so this goes straight from its last checkpoint to the end.
        IOException e = assertThrows(IOException.class, () -> new Trainer().fit(
            objective(model, false), trainLoader, devLoader, run, quiet().withEpochs(1)));
        assertTrue(e.getMessage().startsWith(run.resolve(Trainer.BEST) + ": corrupted"),
            e.getMessage());
      }
    }
  }

  /** Steps leave nothing behind in the model's managers, so memory stays flat over a long run. */
  @Test
  void trainingStepsDoNotAccumulateArrays() throws IOException {
    int[] counts = new int[2];
    int[] halts = {2, 6};
    for (int i = 0; i < 2; i++) {
      // No layer drop: every parameter gets its optimizer moments at the first step.
      try (TaskModel model = classifier(2, LayerDrop.none());
          BatchLoader trainLoader = TinySetup.trainLoader(train, labels, 1)) {
        new Trainer().fit(objective(model, false), trainLoader, null, temp.resolve("r" + i),
            quiet().withHaltAfterSteps(halts[i]));
        counts[i] = model.backbone().parameters().values().iterator().next().getManager()
            .getManagedArrays().size()
            + model.headParameters().values().iterator().next().getManager()
                .getManagedArrays().size();
      }
    }
    assertEquals(counts[0], counts[1]);
  }

  @Test
  void earlyExitLossIsTheSumOfEveryExitsLoss() throws IOException {
    try (TaskModel model = classifier(3, new LayerDrop(LayerDrop.Mode.EARLY_EXIT, 1, false));
        BatchLoader loader = TinySetup.evalLoader(train, labels);
        NDManager manager = Torch.newManager()) {
      assertEquals(List.of(1, 2, 3), model.exits());
      Batch batch = loader.load(new int[] {0, 1, 2, 3});
      StepOutput out = objective(model, false).step(batch, manager, new java.util.Random(1));
      double sum = 0;
      for (int layer = 1; layer <= 3; layer++) {
        double exitLoss = out.logValues().get("loss_exit_" + layer);
        // Independently: pooled hidden state of that layer through the head, in plain Java.
        var output = model.backbone().forward(manager.create(batch.audio()), batch.lengths());
        NDArray hidden = layer == 3 ? output.lastHiddenState() : output.hiddenStates().get(layer);
        double expected = crossEntropyByHand(hidden, output.frameLengths(),
            model.heads().get(layer - 1).weight(), model.heads().get(layer - 1).bias(),
            batch.labels());
        assertEquals(expected, exitLoss, 1e-4 * Math.abs(expected));
        sum += exitLoss;
      }
      assertEquals(sum, out.loss().getFloat(), 1e-5 * sum);
      assertEquals(3.0, out.logValues().get("executed_layers"));
    }
  }

  @Test
  void stopsEarlyWhenTheDevScoreStopsImproving() throws IOException {
    try (TaskModel model = classifier(1, LayerDrop.none());
        BatchLoader trainLoader = TinySetup.trainLoader(train, labels, 1);
        BatchLoader devLoader = TinySetup.evalLoader(dev, labels)) {
      int[] calls = {0};
      FineTuning objective = new FineTuning(model, false,
          d -> new Evaluation("accuracy", calls[0]++ == 0 ? 0.5 : 0.4, Map.of()));
      TrainingSummary summary = new Trainer().fit(objective, trainLoader, devLoader, temp,
          quiet().withEpochs(10).withPatience(2));
      assertEquals("early stopping", summary.stopReason());
      assertEquals(3, summary.epochs());
      assertEquals(0.5, summary.best().score());
      assertEquals(6, summary.bestStep());
    }
  }

  private static double crossEntropyByHand(NDArray hidden, int[] frameLengths, NDArray weight,
      NDArray bias, int[] labels) {
    long[] shape = hidden.getShape().getShape();
    int frames = (int) shape[1];
    int d = (int) shape[2];
    float[] h = hidden.toFloatArray();
    float[] w = weight.toFloatArray();
    float[] c = bias.toFloatArray();
    int classes = c.length;
    double total = 0;
    for (int b = 0; b < labels.length; b++) {
      double[] pooled = new double[d];
      for (int t = 0; t < frameLengths[b]; t++) {
        for (int j = 0; j < d; j++) {
          pooled[j] += h[(b * frames + t) * d + j] / (double) frameLengths[b];
        }
      }
      double[] logits = new double[classes];
      double max = Double.NEGATIVE_INFINITY;
      for (int k = 0; k < classes; k++) {
        logits[k] = c[k];
        for (int j = 0; j < d; j++) {
          logits[k] += w[k * d + j] * pooled[j];
        }
        max = Math.max(max, logits[k]);
      }
      double norm = 0;
      for (double l : logits) {
        norm += Math.exp(l - max);
      }
      total += -(logits[labels[b]] - max - Math.log(norm));
    }
    return total / labels.length;
  }
}
