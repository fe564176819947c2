package dev.icld.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.icld.audio.Audio;
import dev.icld.audio.Resampler;
import dev.icld.data.CharacterVocabulary;
import dev.icld.inference.CtcGreedyDecoder;
import dev.icld.model.Flops;
import dev.icld.model.FoundationModel;
import dev.icld.model.LayerDrop;
import dev.icld.model.LayerMask;
import dev.icld.model.ModelOutput;
import dev.icld.model.Task;
import dev.icld.model.TaskModel;
import dev.icld.model.Torch;
import dev.icld.selection.LayerSelector;
import dev.icld.selection.SelectorConfig;
import dev.icld.selection.SelectorInputKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DynamicSpeechModelTest {
  @TempDir Path temp;

  /** The same input through the task model directly, with {@code mask}, read by head {@code head}. */
  private static float[] directLogits(Path dir, Audio audio, boolean[] mask, int head)
      throws IOException {
    try (TaskModel model = TaskModel.load(dir); NDManager manager = Torch.newManager()) {
      float[] x = Resampler.resample(audio, FoundationModel.SAMPLE_RATE).samples();
      ModelOutput out = model.backbone().forward(
          FoundationModel.padBatch(List.of(x), manager), new int[] {x.length}, LayerMask.keep(mask));
      return model.logits(out, head).toFloatArray();
    }
  }

  private static double[] softmax(float[] logits) {
    double max = Double.NEGATIVE_INFINITY;
    for (float v : logits) {
      max = Math.max(max, v);
    }
    double[] p = new double[logits.length];
    double sum = 0;
    for (int i = 0; i < p.length; i++) {
      p[i] = Math.exp(logits[i] - max);
      sum += p[i];
    }
    for (int i = 0; i < p.length; i++) {
      p[i] /= sum;
    }
    return p;
  }

  private static double[] probabilities(InferenceResult r) {
    return r.output().probabilities().values().stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static boolean[] mask(int[] executed, int layers) {
    boolean[] mask = new boolean[layers];
    for (int i : executed) {
      mask[i] = true;
    }
    return mask;
  }

  @Test
  void theSelectorIsTheDefaultAndEveryPolicyMatchesTheModelRunDirectly() throws IOException {
    Path dir = TinyModels.classifierWithSelector(temp);
    Audio audio = TinyModels.tone(4000, 16_000, 440, 1);
    try (DynamicSpeechModel model = DynamicSpeechModel.load(dir)) {
      assertEquals(List.of("selector", "static", "first-k", "full"), List.copyOf(model.policies()));
      assertEquals("selector", model.defaultPolicy());
      for (String policy : model.policies()) {
        InferenceResult r = model.infer(audio, InferenceBudget.layers(2), policy);
        assertEquals(policy, r.policy());
        assertEquals(policy.equals("full") ? 4 : 2, r.keptLayers(), policy);
        assertArrayEquals(softmax(directLogits(dir, audio, mask(r.executedLayers(), 4), 0)),
            probabilities(r), 1e-6, policy);
        assertEquals(1, Arrays.stream(probabilities(r)).sum(), 1e-9);
        assertEquals(r.output().label(), TinyModels.LABELS.get(argmax(probabilities(r))));
        assertNull(r.deadline());
        assertTrue(r.metDeadline());
      }
      assertArrayEquals(new int[] {1, 2}, model.infer(audio, InferenceBudget.layers(2), "static")
          .executedLayers());
      assertArrayEquals(new int[] {0, 1}, model.infer(audio, InferenceBudget.fraction(0.5), "first-k")
          .executedLayers());
    }
  }

  private static int argmax(double[] p) {
    int best = 0;
    for (int i = 1; i < p.length; i++) {
      best = p[i] > p[best] ? i : best;
    }
    return best;
  }

  @Test
  void flopsCountTheExecutedLayersTheSelectorAndTheHead() throws IOException {
    Path dir = TinyModels.classifierWithSelector(temp);
    Audio audio = TinyModels.tone(16_000, 16_000, 440, 1);
    try (DynamicSpeechModel model = DynamicSpeechModel.load(dir)) {
      Flops backbone = Flops.of(model.config(), 1.0);
      InferenceResult two = model.infer(audio, InferenceBudget.layers(2), "first-k");
      InferenceResult three = model.infer(audio, InferenceBudget.layers(3), "first-k");
      assertEquals(backbone.perLayer(), three.flops() - two.flops());
      long head = backbone.frames() * 32L + 2 * 32 * 3;
      assertEquals(backbone.total(2) + head, two.flops());
      InferenceResult selected = model.infer(audio, InferenceBudget.layers(2), "selector");
      assertTrue(selected.flops() > two.flops(), "the selector's own cost is added");
    }
  }

  @Test
  void audioAtAnyRateIsResampled() throws IOException {
    Path dir = TinyModels.classifierWithSelector(temp);
    Audio at8k = TinyModels.tone(4000, 8000, 300, 2);
    try (DynamicSpeechModel model = DynamicSpeechModel.load(dir)) {
      InferenceResult r = model.infer(at8k.samples(), 8000, InferenceBudget.layers(3));
      InferenceResult resampled = model.infer(Resampler.resample(at8k, 16_000), InferenceBudget.layers(3));
      assertArrayEquals(probabilities(resampled), probabilities(r), 0);
      assertArrayEquals(resampled.executedLayers(), r.executedLayers());
    }
  }

  @Test
  void anAsrModelTranscribesByGreedyCtc() throws IOException {
    Path dir = TinyModels.save(TinyModels.taskModel(Task.ASR, LayerDrop.Mode.RANDOM, 7), temp);
    Audio audio = TinyModels.tone(8000, 16_000, 500, 3);
    try (DynamicSpeechModel model = DynamicSpeechModel.load(dir)) {
      assertEquals("first-k", model.defaultPolicy());
      InferenceResult r = model.infer(audio, InferenceBudget.layers(3));
      assertFalse(r.output().isClassification());
      int frames = Flops.of(model.config(), 0.5).frames();
      float[] logits = directLogits(dir, audio, mask(r.executedLayers(), 4), 0);
      String expected = CharacterVocabulary.decode(new CtcGreedyDecoder(CharacterVocabulary.BLANK)
          .decode(logits, CharacterVocabulary.SIZE, frames));
      assertEquals(expected, r.output().transcript());
      assertEquals(r.output().transcript(), r.output().text());
    }
  }

  @Test
  void anEarlyExitModelReadsTheHeadAfterItsLastLayer() throws IOException {
    Path dir = TinyModels.save(TinyModels.taskModel(Task.KWS, LayerDrop.Mode.EARLY_EXIT, 9), temp);
    Audio audio = TinyModels.tone(4000, 16_000, 900, 4);
    try (DynamicSpeechModel model = DynamicSpeechModel.load(dir)) {
      assertEquals("early-exit", model.defaultPolicy());
      for (int k = 1; k <= 4; k++) {
        InferenceResult r = model.infer(audio, InferenceBudget.layers(k));
        boolean[] prefix = new boolean[4];
        Arrays.fill(prefix, 0, k, true);
        assertArrayEquals(softmax(directLogits(dir, audio, prefix, k - 1)), probabilities(r), 1e-6);
      }
      InferenceResult firstK = model.infer(audio, InferenceBudget.layers(1), "first-k");
      assertNotEquals(probabilities(model.infer(audio, InferenceBudget.layers(1)))[0],
          probabilities(firstK)[0], "first-k reads the final head, early exit the head after layer 1");
    }
  }

  @Test
  void anAdaptiveBudgetLetsTheSelectorVaryTheCount() throws IOException {
    Path dir = TinyModels.classifierWithSelector(temp);
    try (DynamicSpeechModel model = DynamicSpeechModel.load(dir)) {
      Set<Integer> counts = new java.util.HashSet<>();
      for (int i = 0; i < 12; i++) {
        InferenceResult r = model.infer(TinyModels.tone(2000 + 600 * i, 16_000, 100 + 150 * i, i),
            InferenceBudget.adaptive(0.5));
        counts.add(r.keptLayers());
        // The layers whose gate exceeds the threshold, never fewer than one.
        assertTrue(r.keptLayers() >= 1 && r.keptLayers() <= 4);
      }
      assertTrue(counts.size() > 1, "the count varies with the input: " + counts);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> model.infer(TinyModels.tone(4000, 16_000, 440, 1), InferenceBudget.adaptive(0.25)));
      assertTrue(e.getMessage().contains("no adaptive threshold for budget 1"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class,
          () -> model.infer(TinyModels.tone(4000, 16_000, 440, 1), InferenceBudget.adaptive(0.5), "static"));
      assertTrue(e.getMessage().startsWith("an adaptive budget needs the input-conditioned selector"),
          e.getMessage());
    }
  }

  @Test
  void badCallsGetClearErrorsAndLeaveTheModelWorking() throws IOException {
    Path dir = TinyModels.save(TinyModels.taskModel(Task.KWS, LayerDrop.Mode.RANDOM, 3), temp);
    Audio audio = TinyModels.tone(4000, 16_000, 440, 1);
    try (DynamicSpeechModel model = DynamicSpeechModel.load(dir)) {
      double[] before = probabilities(model.infer(audio, InferenceBudget.layers(2)));
      int arrays = model.liveArrayCount();
      assertError("the audio is empty (0 samples)",
          () -> model.infer(new Audio(new float[0], 16_000), InferenceBudget.layers(2)));
      assertError("the audio holds NaN or infinite samples",
          () -> model.infer(new Audio(new float[] {0, Float.NaN, 0}, 16_000), InferenceBudget.layers(2)));
      assertError("the audio (6.3 ms) is shorter than the model's first frame",
          () -> model.infer(new Audio(new float[100], 16_000), InferenceBudget.layers(2)));
      assertError("budget 5 layers exceeds the model's 4 layers",
          () -> model.infer(audio, InferenceBudget.layers(5)));
      assertError("an adaptive budget needs the input-conditioned selector, and this model has none",
          () -> model.infer(audio, InferenceBudget.adaptive(0.5)));
      assertError("policy \"selector\": this model has no layer selector; available: first-k, full",
          () -> model.infer(audio, InferenceBudget.layers(2), "selector"));
      assertError("policy \"fastest\": unknown policy; available: first-k, full",
          () -> model.infer(audio, InferenceBudget.layers(2), "fastest"));
      assertError("input 1: the audio is empty (0 samples)", () -> model.inferBatch(
          List.of(audio, new Audio(new float[0], 8000)), InferenceBudget.layers(2)));
      assertEquals(arrays, model.liveArrayCount());
      assertArrayEquals(before, probabilities(model.infer(audio, InferenceBudget.layers(2))), 0);
    }
  }

  private static void assertError(String message, org.junit.jupiter.api.function.Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertEquals(message, e.getMessage());
  }

  @Test
  void aSelectorThatDoesNotFitTheBackboneIsRefusedAtLoad() throws IOException {
    Path dir = TinyModels.save(TinyModels.taskModel(Task.KWS, LayerDrop.Mode.RANDOM, 3), temp);
    try (LayerSelector selector = LayerSelector.initialise(
        SelectorConfig.of(SelectorInputKind.FEATURES, TinyModels.FEATURE_CHANNELS, 6), 1)) {
      selector.save(dir);
    }
    IOException e = assertThrows(IOException.class, () -> DynamicSpeechModel.load(dir));
    assertEquals(dir + ": the layer selector is for 6 layers, the backbone has 4", e.getMessage());
    Files.delete(dir.resolve(LayerSelector.CONFIG));
    Files.delete(dir.resolve(LayerSelector.WEIGHTS));
    try (DynamicSpeechModel model = DynamicSpeechModel.load(dir)) {
      assertFalse(model.hasSelector());
    }
  }

  @Test
  void aBatchGivesOneResultPerInputInOrder() throws IOException {
    Path dir = TinyModels.classifierWithSelector(temp);
    List<Audio> sameLength = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      sameLength.add(TinyModels.tone(4000, 16_000, 200 + 300 * i, i));
    }
    try (DynamicSpeechModel model = DynamicSpeechModel.load(dir)) {
      List<InferenceResult> batch = model.inferBatch(sameLength, InferenceBudget.layers(2));
      assertEquals(5, batch.size());
      for (int i = 0; i < 5; i++) {
        InferenceResult alone = model.infer(sameLength.get(i), InferenceBudget.layers(2));
        assertArrayEquals(alone.executedLayers(), batch.get(i).executedLayers(), "input " + i);
        assertArrayEquals(probabilities(alone), probabilities(batch.get(i)), 1e-5, "input " + i);
      }
      List<Audio> mixed = List.of(TinyModels.tone(3000, 16_000, 300, 1),
          TinyModels.tone(9000, 22_050, 700, 2), TinyModels.tone(6000, 16_000, 1200, 3));
      List<InferenceResult> results = model.inferBatch(mixed, InferenceBudget.layers(3), "static");
      assertEquals(3, results.size());
      for (InferenceResult r : results) {
        assertArrayEquals(new int[] {0, 1, 3}, r.executedLayers());
      }
    }
  }

  @Test
  void aDeadlineRunsTheLayersThatFit() throws IOException {
    Path dir = TinyModels.save(TinyModels.taskModel(Task.KWS, LayerDrop.Mode.RANDOM, 3), temp);
    Audio audio = TinyModels.tone(16_000, 16_000, 440, 1);
    try (DynamicSpeechModel model = DynamicSpeechModel.load(dir)) {
      // 10 ms per call, 10 ms per layer: a 35 ms deadline fits 2 layers before any observation.
      model.useLatencyModel(new LatencyModel(10, 0, 10, 0));
      InferenceResult r = model.infer(audio, InferenceBudget.deadline(35));
      assertEquals(2, r.deadline().layers());
      assertEquals(30, r.deadline().predictedMs(), 1e-9);
      assertTrue(r.deadline().feasible());
      assertEquals(2, r.keptLayers());
      model.useLatencyModel(new LatencyModel(10, 0, 10, 0));
      InferenceResult tooTight = model.infer(audio, InferenceBudget.deadline(5));
      assertFalse(tooTight.deadline().feasible());
      assertEquals(1, tooTight.keptLayers());
      model.useLatencyModel(new LatencyModel(0, 0, 0.001, 0));
      assertEquals(4, model.infer(audio, InferenceBudget.deadline(1000)).keptLayers());
    }
  }

  @Test
  void calibrationFitsALatencyModelFromWarmUpRuns() throws IOException {
    Path dir = TinyModels.save(TinyModels.taskModel(Task.KWS, LayerDrop.Mode.RANDOM, 3), temp);
    try (DynamicSpeechModel model = DynamicSpeechModel.load(dir)) {
      DeadlineController controller = model.deadlineController();
      assertTrue(controller.model().predictMs(new CallShape(1, 0.01), 4) > 0);
      InferenceResult r = model.infer(TinyModels.tone(8000, 16_000, 440, 1), InferenceBudget.deadline(10_000));
      assertEquals(4, r.keptLayers(), "a generous deadline runs every layer");
    }
  }

  @Test
  void aSelectorReadingLogMelFilterbanksRunsOnTheWaveform() throws IOException {
    Path dir = TinyModels.save(TinyModels.taskModel(Task.KWS, LayerDrop.Mode.RANDOM, 3), temp);
    try (LayerSelector selector = LayerSelector.initialise(
        SelectorConfig.of(SelectorInputKind.LOG_MEL, 80, TinyModels.LAYERS), 1)) {
      selector.save(dir);
    }
    Audio audio = TinyModels.tone(16_000, 16_000, 440, 1);
    try (DynamicSpeechModel model = DynamicSpeechModel.load(dir)) {
      InferenceResult r = model.infer(audio, InferenceBudget.layers(3));
      assertEquals("selector", r.policy());
      assertEquals(3, r.keptLayers());
      long withoutSelector = model.infer(audio, InferenceBudget.layers(3), "first-k").flops();
      assertEquals(dev.icld.selection.SelectorFlops.of(SelectorConfig.of(SelectorInputKind.LOG_MEL,
          80, TinyModels.LAYERS), model.config(), 1.0).total(), r.flops() - withoutSelector);
      assertArrayEquals(softmax(directLogits(dir, audio, mask(r.executedLayers(), 4), 0)),
          probabilities(r), 1e-6);
    }
  }

  @Test
  void aClosedModelRefusesCalls() throws IOException {
    Path dir = TinyModels.save(TinyModels.taskModel(Task.KWS, LayerDrop.Mode.RANDOM, 3), temp);
    DynamicSpeechModel model = DynamicSpeechModel.load(dir);
    model.close();
    model.close();
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> model.infer(TinyModels.tone(4000, 16_000, 440, 1), InferenceBudget.layers(2)));
    assertEquals("the model is closed", e.getMessage());
  }
}
