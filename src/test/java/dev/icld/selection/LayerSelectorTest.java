package dev.icld.selection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.icld.model.Torch;
import dev.icld.model.io.SafeTensors;
import dev.icld.model.io.TensorData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LayerSelectorTest {
  @TempDir Path temp;

  private static final int CHANNELS = 12;
  private static final int LAYERS = 6;

  private static SelectorConfig config() {
    return config(CHANNELS, SelectorPooling.MEAN_MAX);
  }

  private static SelectorConfig config(int channels, SelectorPooling pooling) {
    return new SelectorConfig(SelectorInputKind.FEATURES, channels, 8, pooling, 4, LAYERS, List.of(),
        Map.of());
  }

  /** A selector whose logits spread enough to be told apart (the real init keeps them near 0). */
  private static LayerSelector selector() {
    return selector(SelectorPooling.MEAN_MAX);
  }

  private static LayerSelector selector(SelectorPooling pooling) {
    LayerSelector selector = LayerSelector.initialise(config(CHANNELS, pooling), 42);
    NDArray output = selector.parameters().get("output.weight");
    output.muli(50);
    selector.parameters().get("budget_embedding.weight").muli(50);
    return selector;
  }

  private static NDArray frames(NDManager manager, int batch, int time, long seed) {
    Random random = new Random(seed);
    float[] values = new float[batch * time * CHANNELS];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return manager.create(values, new Shape(batch, time, CHANNELS));
  }

  @ParameterizedTest
  @EnumSource(SelectorPooling.class)
  void logitsPerLayerIndependentOfPaddingAndConditionedOnTheBudget(SelectorPooling pooling) {
    try (LayerSelector selector = selector(pooling); NDManager manager = Torch.newManager()) {
      NDArray batch = frames(manager, 2, 10, 1);
      NDArray logits = selector.logits(batch, new int[] {10, 6}, new int[] {3, 3});
      assertArrayEquals(new long[] {2, LAYERS}, logits.getShape().getShape());
      NDArray alone = batch.get(new NDIndex("1:2, 0:6, :"));
      float[] single = selector.logits(alone, new int[] {6}, new int[] {3}).toFloatArray();
      float[] inBatch = logits.get(1).toFloatArray();
      for (int i = 0; i < LAYERS; i++) {
        assertEquals(single[i], inBatch[i], 1e-5, "layer " + i + ": padding must not matter");
      }
      float[] otherBudget = selector.logits(alone, new int[] {6}, new int[] {5}).toFloatArray();
      assertFalse(Arrays.equals(single, otherBudget), "the budget changes the logits");
    }
  }

  @ParameterizedTest
  @EnumSource(SelectorPooling.class)
  void inferenceLogitsEqualTheTrainingNetworksWithinFloatRounding(SelectorPooling pooling) {
    try (LayerSelector trained = selector(pooling);
        LayerSelector fresh = LayerSelector.initialise(config(CHANNELS, pooling), 7);
        NDManager manager = Torch.newManager()) {
      NDArray batch = frames(manager, 4, 11, 3);
      int[] lengths = {11, 4, 2, 1};
      int[] budgets = {1, 3, 2, LAYERS};
      for (LayerSelector selector : List.of(trained, fresh)) {
        float[] network = selector.logits(batch, lengths, budgets).toFloatArray();
        float[][] inference = selector.weights().logits(SelectionInput.ofFeatures(batch, lengths), budgets);
        for (int b = 0; b < lengths.length; b++) {
          for (int i = 0; i < LAYERS; i++) {
            float expected = network[b * LAYERS + i];
            assertEquals(expected, inference[b][i], 1e-6 * Math.max(1, Math.abs(expected)),
                "utterance " + b + ", layer " + i);
          }
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(SelectorPooling.class)
  void inferenceLogitsMatchWithAnOddChannelCountAndEveryLengthOfTheLastPass(SelectorPooling pooling) {
    int channels = 5;
    try (LayerSelector selector = LayerSelector.initialise(config(channels, pooling), 11);
        NDManager manager = Torch.newManager()) {
      Random random = new Random(4);
      float[] values = new float[3 * 9 * channels];
      for (int i = 0; i < values.length; i++) {
        values[i] = (float) random.nextGaussian();
      }
      NDArray batch = manager.create(values, new Shape(3, 9, channels));
      // three frames a pass: the last pass has three, one and two of them
      int[] lengths = {9, 7, 5};
      int[] budgets = {2, 2, 2};
      float[] network = selector.logits(batch, lengths, budgets).toFloatArray();
      float[][] inference = selector.weights().logits(SelectionInput.ofFeatures(batch, lengths), budgets);
      for (int b = 0; b < lengths.length; b++) {
        for (int i = 0; i < LAYERS; i++) {
          float expected = network[b * LAYERS + i];
          assertEquals(expected, inference[b][i], 1e-6 * Math.max(1, Math.abs(expected)),
              "utterance " + b + ", layer " + i);
        }
      }
    }
  }

  @Test
  void aPolicyKeepsTheWeightsItWasMadeWithAndANewOneSeesTraining() {
    try (LayerSelector selector = selector(); NDManager manager = Torch.newManager()) {
      SelectionInput input = SelectionInput.ofFeatures(frames(manager, 2, 7, 5), new int[] {7, 4});
      Budget budget = Budget.of(1, LAYERS);
      InputConditionedPolicy before = new InputConditionedPolicy(selector);
      Selection chosen = before.select(input, budget);
      // a training step in place, as AdamW makes it: the last layer now wins for every input
      float[] favourLast = new float[LAYERS];
      favourLast[LAYERS - 1] = 1e4f;
      selector.parameters().get("output.bias").addi(manager.create(favourLast));
      for (int b = 0; b < 2; b++) {
        assertArrayEquals(chosen.mask(b), before.select(input, budget).mask(b), "utterance " + b);
        assertTrue(new InputConditionedPolicy(selector).select(input, budget).mask(b)[LAYERS - 1]);
      }
    }
    try (LayerSelector selector = selector(); LayerSelector other = LayerSelector.initialise(
        new SelectorConfig(SelectorInputKind.FEATURES, CHANNELS, 8, SelectorPooling.MEAN_MAX, 4,
            LAYERS + 1, List.of(), Map.of()), 1);
        LayerSelector meanOnly = LayerSelector.initialise(config(CHANNELS, SelectorPooling.MEAN), 1)) {
      assertThrows(IllegalArgumentException.class,
          () -> new InputConditionedPolicy(selector, other.weights()));
      assertThrows(IllegalArgumentException.class,
          () -> new InputConditionedPolicy(selector, meanOnly.weights()));
    }
  }

  @Test
  void javaGeluEqualsDjlsWithinFloatRounding() {
    try (NDManager manager = Torch.newManager()) {
      float[] x = new float[4001];
      for (int i = 0; i < x.length; i++) {
        x[i] = -10 + i * 0.005f;
      }
      float[] djl = ai.djl.nn.Activation.gelu(manager.create(x)).toFloatArray();
      for (int i = 0; i < x.length; i++) {
        assertEquals(djl[i], LayerSelector.gelu(x[i]), 1e-6 * Math.max(1, Math.abs(djl[i])), "x = " + x[i]);
      }
    }
  }

  @Test
  void topKPolicyKeepsTheKLargestLogits() {
    try (LayerSelector selector = selector(); NDManager manager = Torch.newManager()) {
      SelectionInput input = SelectionInput.ofFeatures(frames(manager, 4, 9, 2), new int[] {9, 5, 7, 2});
      InputConditionedPolicy policy = new InputConditionedPolicy(selector);
      int before = manager.getManagedArrays().size();
      NDManager selectorManager = selector.parameters().get("conv.weight").getManager();
      int parameters = selectorManager.getManagedArrays().size();
      Selection selection = policy.select(input, Budget.of(2, LAYERS));
      assertEquals(before, manager.getManagedArrays().size(), "inference leaves no arrays behind");
      assertEquals(parameters, selectorManager.getManagedArrays().size(),
          "nor among the selector's parameters");
      float[][] logits = selector.weights().logits(input, new int[] {2, 2, 2, 2});
      for (int b = 0; b < 4; b++) {
        assertEquals(2, selection.keptLayers(b));
        assertEquals(LAYERS, selection.exit(b));
        float smallestKept = Float.POSITIVE_INFINITY;
        float largestDropped = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < LAYERS; i++) {
          if (selection.mask(b)[i]) {
            smallestKept = Math.min(smallestKept, logits[b][i]);
          } else {
            largestDropped = Math.max(largestDropped, logits[b][i]);
          }
        }
        assertTrue(smallestKept >= largestDropped, "utterance " + b);
      }
    }
  }

  @Test
  void adaptiveModeMeetsTheAverageOnItsCalibrationSet() {
    try (LayerSelector selector = selector(); NDManager manager = Torch.newManager()) {
      List<SelectionInput> dev = List.of(
          SelectionInput.ofFeatures(frames(manager, 8, 12, 3), new int[] {12, 3, 8, 11, 5, 9, 12, 7}),
          SelectionInput.ofFeatures(frames(manager, 8, 10, 4), new int[] {10, 4, 6, 9, 10, 2, 8, 5}));
      InputConditionedPolicy policy = new InputConditionedPolicy(selector);
      IllegalArgumentException uncalibrated = assertThrows(IllegalArgumentException.class,
          () -> policy.select(dev.get(0), Budget.adaptive(3, LAYERS)));
      assertTrue(uncalibrated.getMessage().contains("no adaptive threshold for budget 3"),
          uncalibrated.getMessage());
      double threshold = policy.calibrateAdaptive(dev, 3);
      assertEquals(threshold, selector.config().adaptiveThresholds().get(3), 0);
      double kept = 0;
      int minimum = LAYERS;
      int maximum = 0;
      for (SelectionInput input : dev) {
        Selection s = policy.select(input, Budget.adaptive(3, LAYERS));
        for (int b = 0; b < s.batchSize(); b++) {
          kept += s.keptLayers(b);
          minimum = Math.min(minimum, s.keptLayers(b));
          maximum = Math.max(maximum, s.keptLayers(b));
        }
      }
      assertEquals(3.0, kept / 16, 0.25, "average kept layers");
      assertTrue(minimum >= 1 && maximum > minimum, "counts vary per input: " + minimum + ".." + maximum);
    }
  }

  @Test
  void saveAndLoadGiveTheSameSelector() throws IOException {
    try (LayerSelector selector = selector(); NDManager manager = Torch.newManager()) {
      selector.recordTrainedBudgets(List.of(1, 3, 6));
      selector.recordAdaptiveThreshold(3, 0.25);
      selector.save(temp);
      assertTrue(LayerSelector.existsIn(temp));
      try (LayerSelector loaded = LayerSelector.load(temp)) {
        assertEquals(selector.config(), loaded.config());
        assertEquals(List.of(1, 3, 6), loaded.config().trainedBudgets());
        NDArray input = frames(manager, 2, 7, 5);
        assertArrayEquals(selector.logits(input, new int[] {7, 4}, new int[] {1, 6}).toFloatArray(),
            loaded.logits(input, new int[] {7, 4}, new int[] {1, 6}).toFloatArray());
      }
      String json = Files.readString(temp.resolve(LayerSelector.CONFIG));
      assertTrue(json.contains("\"input\": \"features\""), json);
      assertTrue(json.contains("\"hidden_channels\": 8"), json);
      assertTrue(json.contains("\"pooling\": \"mean+max\""), json);
    }
  }

  @Test
  void aSelectorSavedBeforePoolingWasRecordedLoadsAsMeanPooled() throws IOException {
    try (LayerSelector selector = selector(SelectorPooling.MEAN)) {
      selector.save(temp);
    }
    Path config = temp.resolve(LayerSelector.CONFIG);
    String json = Files.readString(config);
    Files.writeString(config, json.replace("\"pooling\": \"mean\",", ""));
    try (LayerSelector loaded = LayerSelector.load(temp)) {
      assertEquals(SelectorPooling.MEAN, loaded.config().pooling());
    }
    Files.writeString(config, json.replace("\"pooling\": \"mean\"", "\"pooling\": \"max\""));
    IOException e = assertThrows(IOException.class, () -> LayerSelector.load(temp));
    assertTrue(e.getMessage().contains(config.toString()) && e.getMessage().contains("mean+max"),
        e.getMessage());
  }

  @Test
  void initialisationIsSeeded() {
    try (LayerSelector a = LayerSelector.initialise(config(), 9);
        LayerSelector b = LayerSelector.initialise(config(), 9);
        LayerSelector c = LayerSelector.initialise(config(), 10)) {
      for (String name : a.parameters().keySet()) {
        assertArrayEquals(a.parameters().get(name).toFloatArray(), b.parameters().get(name).toFloatArray());
      }
      assertFalse(Arrays.equals(a.parameters().get("conv.weight").toFloatArray(),
          c.parameters().get("conv.weight").toFloatArray()));
      assertArrayEquals(new float[LAYERS], a.parameters().get("output.bias").toFloatArray());
    }
  }

  @Test
  void aModelDirectoryWithoutASelectorSaysSo() {
    IOException e = assertThrows(IOException.class, () -> LayerSelector.load(temp));
    assertEquals(temp + ": no layer selector (selector.json and selector.safetensors); "
        + "train one with icld train-selector", e.getMessage());
  }

  @Test
  void weightsThatDoNotFitTheConfigAreNamed() throws IOException {
    try (LayerSelector selector = selector()) {
      selector.save(temp);
    }
    Map<String, TensorData> tensors = new LinkedHashMap<>(
        SafeTensors.read(temp.resolve(LayerSelector.WEIGHTS)));
    tensors.put("output.bias", TensorData.f32(new long[] {LAYERS + 1}, new float[LAYERS + 1]));
    SafeTensors.write(temp.resolve(LayerSelector.WEIGHTS), tensors);
    IOException e = assertThrows(IOException.class, () -> LayerSelector.load(temp));
    assertTrue(e.getMessage().contains(LayerSelector.WEIGHTS) && e.getMessage().contains("output.bias"),
        e.getMessage());
    Files.writeString(temp.resolve(LayerSelector.CONFIG), "{\"input\": \"spectrogram\"}");
    IOException config = assertThrows(IOException.class, () -> LayerSelector.load(temp));
    assertTrue(config.getMessage().contains(LayerSelector.CONFIG)
        && config.getMessage().contains("\"features\" or \"log-mel\""), config.getMessage());
  }

  @Test
  void wrongInputsAreRefusedClearly() {
    try (LayerSelector selector = selector(); NDManager manager = Torch.newManager()) {
      NDArray wrongWidth = manager.zeros(new Shape(1, 5, 80));
      IllegalArgumentException channels = assertThrows(IllegalArgumentException.class,
          () -> selector.logits(wrongWidth, new int[] {5}, new int[] {2}));
      assertEquals("the selector reads [batch, frames, 12] (features), got (1, 5, 80)", channels.getMessage());
      NDArray good = frames(manager, 1, 5, 1);
      IllegalArgumentException budget = assertThrows(IllegalArgumentException.class,
          () -> selector.logits(good, new int[] {5}, new int[] {7}));
      assertEquals("budget must keep between 1 and 6 layers, got 7", budget.getMessage());
      assertThrows(IllegalArgumentException.class,
          () -> new InputConditionedPolicy(selector).select(SelectionInput.ofFeatures(good, new int[] {5}),
              Budget.of(1, 12)));
      IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
          () -> new InputConditionedPolicy(selector).select(SelectionInput.ofBatchSize(1), Budget.of(2, LAYERS)));
      assertTrue(missing.getMessage().contains("feature-encoder output"), missing.getMessage());
    }
  }

  @Test
  void logMelInputFeedsALogMelSelector() {
    float[][] audio = new float[2][16000];
    for (int t = 0; t < 16000; t++) {
      audio[0][t] = (float) (0.3 * Math.sin(2 * Math.PI * 440 * t / 16000.0));
      audio[1][t] = t < 8000 ? (float) (0.2 * Math.sin(2 * Math.PI * 1000 * t / 16000.0)) : 0.7f;
    }
    LogMelFilterbanks filterbanks = new LogMelFilterbanks();
    SelectorConfig config = SelectorConfig.of(SelectorInputKind.LOG_MEL, LogMelFilterbanks.BINS, LAYERS);
    try (LayerSelector selector = LayerSelector.initialise(config, 1); NDManager manager = Torch.newManager()) {
      SelectionInput input = filterbanks.compute(audio, new int[] {16000, 8000}, manager);
      assertArrayEquals(new long[] {2, 98, 80}, input.logMel().getShape().getShape());
      assertArrayEquals(new int[] {98, 48}, input.logMelLengths());
      assertEquals(0f, input.logMel().get(1).get(60).abs().sum().getFloat(), 0, "padding is zero");
      Selection s = new InputConditionedPolicy(selector).select(input, Budget.of(4, LAYERS));
      assertEquals(4, s.keptLayers(0));
      assertEquals(4, s.keptLayers(1));
      IllegalArgumentException tooShort = assertThrows(IllegalArgumentException.class,
          () -> filterbanks.compute(new float[][] {new float[300]}, new int[] {300}, manager));
      assertTrue(tooShort.getMessage().contains("shorter than one 25.0 ms"), tooShort.getMessage());
    }
  }
}
