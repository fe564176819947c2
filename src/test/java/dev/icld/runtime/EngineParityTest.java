package dev.icld.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import dev.icld.audio.Audio;
import dev.icld.data.LabelVocabulary;
import dev.icld.inference.TaskOutput;
import dev.icld.model.BackboneEngine;
import dev.icld.model.Checkpoints;
import dev.icld.model.FoundationModel;
import dev.icld.model.FrontEndOutput;
import dev.icld.model.LayerDrop;
import dev.icld.model.LayerMask;
import dev.icld.model.ModelConfig;
import dev.icld.model.ModelOutput;
import dev.icld.model.ModelType;
import dev.icld.model.Task;
import dev.icld.model.TaskModel;
import dev.icld.model.Torch;
import dev.icld.selection.Budget;
import dev.icld.selection.LayerSelector;
import dev.icld.selection.RandomLayersPolicy;
import dev.icld.selection.SelectionInput;
import dev.icld.selection.SelectorConfig;
import dev.icld.selection.SelectorInputKind;
import dev.icld.train.TinySetup;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The whole dynamic model on ONNX Runtime against DJL: for a classifier and a CTC model, each with
 * an exit head after every layer, a layer selector (with an adaptive threshold) and static
 * subsets, every policy at every budget chooses the same layers and gives the same label (with
 * probabilities within 1e-4) or transcript, alone and in a padded batch; and the logits of every
 * head under random layer subsets agree within 1e-4 on the valid frames.
 */
class EngineParityTest {
  private static final double TOLERANCE = 1e-4;
  private static final int LAYERS = TinyModels.LAYERS;

  @TempDir Path temp;

  /** A model with exit heads, a features selector (adaptive threshold for k = 2) and static subsets. */
  private Path modelDir(Task task) throws IOException {
    Path dir = temp.resolve(task.id());
    try (TaskModel model = TinyModels.taskModel(task, LayerDrop.Mode.EARLY_EXIT, 11);
        LayerSelector selector = LayerSelector.initialise(SelectorConfig.of(
            SelectorInputKind.FEATURES, TinyModels.FEATURE_CHANNELS, LAYERS), 5)) {
      model.save(dir);
      selector.recordAdaptiveThreshold(2, 0.5);
      selector.save(dir);
      TinyModels.staticSubsets().save(dir);
    }
    return dir;
  }

  private static List<Audio> inputs() {
    return List.of(TinyModels.tone(4000, 16_000, 440, 1), TinyModels.tone(7321, 16_000, 1200, 2),
        TinyModels.tone(3000, 8000, 300, 3));
  }

  private static List<InferenceBudget> budgets() {
    List<InferenceBudget> budgets = new ArrayList<>();
    for (int k = 1; k <= LAYERS; k++) {
      budgets.add(InferenceBudget.layers(k));
    }
    return budgets;
  }

  @ParameterizedTest
  @EnumSource(value = Task.class, names = {"KWS", "ASR"})
  void everyPolicyGivesTheSameOutputOnBothEngines(Task task) throws IOException {
    Path dir = modelDir(task);
    try (DynamicSpeechModel djl = DynamicSpeechModel.load(dir, InferenceEngine.DJL);
        DynamicSpeechModel onnx = DynamicSpeechModel.load(dir, InferenceEngine.ONNX)) {
      assertEquals("djl", djl.engine());
      assertEquals("onnx", onnx.engine());
      assertEquals(List.of("selector", "early-exit", "static", "first-k", "full"),
          List.copyOf(onnx.policies()));
      int compared = 0;
      for (String policy : onnx.policies()) {
        List<InferenceBudget> budgets = budgets();
        if (policy.equals("selector")) {
          budgets.add(InferenceBudget.adaptive(0.5));
        }
        for (InferenceBudget budget : budgets) {
          String what = task.id() + " " + policy + " " + budget;
          for (Audio audio : inputs()) {
            assertSame(djl.infer(audio, budget, policy), onnx.infer(audio, budget, policy), what);
            compared++;
          }
          List<InferenceResult> expected = djl.inferBatch(inputs(), budget, policy);
          List<InferenceResult> actual = onnx.inferBatch(inputs(), budget, policy);
          for (int i = 0; i < expected.size(); i++) {
            assertSame(expected.get(i), actual.get(i), what + " batch input " + i);
          }
        }
      }
      assertEquals(5 * LAYERS * 3 + 3, compared);
    }
  }

  private static void assertSame(InferenceResult expected, InferenceResult actual, String what) {
    assertEquals(expected.policy(), actual.policy(), what);
    assertArrayEquals(expected.executedLayers(), actual.executedLayers(), what + " layers");
    assertEquals(expected.flops(), actual.flops(), what + " FLOPs");
    TaskOutput e = expected.output();
    TaskOutput a = actual.output();
    assertEquals(e.text(), a.text(), what);
    assertEquals(e.probabilities().keySet(), a.probabilities().keySet(), what);
    for (String label : e.probabilities().keySet()) {
      assertEquals(e.probabilities().get(label), a.probabilities().get(label), TOLERANCE,
          what + " p(" + label + ")");
    }
  }

  /**
   * Random layer dropping (the eval's random method) and every head, read directly: the logits of
   * both engines agree on a padded batch.
   */
  @ParameterizedTest
  @EnumSource(value = Task.class, names = {"KWS", "ASR"})
  void randomSubsetsGiveTheSameLogitsFromEveryHead(Task task) {
    try (TaskModel model = TinyModels.taskModel(task, LayerDrop.Mode.EARLY_EXIT, 21);
        InferenceEngine.Session onnx = InferenceEngine.ONNX.open(model);
        NDManager manager = Torch.newManager()) {
      List<float[]> waves = new ArrayList<>();
      for (Audio audio : inputs().subList(0, 2)) {
        waves.add(audio.samples());
      }
      int[] lengths = {waves.get(0).length, waves.get(1).length};
      BackboneEngine djl = model.backbone();
      FrontEndOutput djlFront = djl.frontEnd(FoundationModel.padBatch(waves, manager), lengths);
      FrontEndOutput onnxFront =
          onnx.backbone().frontEnd(FoundationModel.padBatch(waves, manager), lengths);
      assertClose(djlFront.features().toFloatArray(), onnxFront.features().toFloatArray(),
          "features");
      RandomLayersPolicy random = new RandomLayersPolicy(7);
      for (int draw = 0; draw < 6; draw++) {
        int keep = 1 + draw % LAYERS;
        boolean[] mask = random.select(SelectionInput.ofBatchSize(1), Budget.of(keep, LAYERS)).mask(0);
        ModelOutput expected = djl.encode(djlFront, LayerMask.keep(mask));
        ModelOutput actual = onnx.backbone().encode(onnxFront, LayerMask.keep(mask));
        assertArrayEquals(expected.frameLengths(), actual.frameLengths());
        for (int head = 0; head < model.heads().size(); head++) {
          float[] e = model.logits(expected, head).toFloatArray();
          float[] a = onnx.heads().logits(actual, head).toFloatArray();
          String what = task.id() + " draw " + draw + " head " + head;
          if (task.classification()) {
            assertClose(e, a, what);
          } else {
            assertValidFramesClose(e, a, (int) expected.lastHiddenState().getShape().get(1),
                expected.frameLengths(), what);
          }
        }
      }
    }
  }

  private static void assertClose(float[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length, what);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], TOLERANCE, what + " at " + i);
    }
  }

  /** [B, T, C] logits compared on each utterance's first frameLengths[b] frames. */
  private static void assertValidFramesClose(float[] expected, float[] actual, int frames,
      int[] frameLengths, String what) {
    assertEquals(expected.length, actual.length, what);
    int perRow = expected.length / frameLengths.length;
    int classes = perRow / frames;
    for (int b = 0; b < frameLengths.length; b++) {
      for (int i = 0; i < frameLengths[b] * classes; i++) {
        assertEquals(expected[b * perRow + i], actual[b * perRow + i], TOLERANCE,
            what + " utterance " + b + " at " + i);
      }
    }
  }

  @Test
  void anUnknownEngineIsAClearError() {
    IllegalArgumentException unknown =
        assertThrows(IllegalArgumentException.class, () -> InferenceEngine.fromId("tensorrt"));
    assertEquals("unknown engine \"tensorrt\" (expected djl or onnx)", unknown.getMessage());
  }

  /** WavLM (its gated relative position bias exported too) answers alike on both engines. */
  @Test
  void wavLmGivesTheSameOutputOnBothEngines() throws IOException {
    ModelConfig tiny = TinySetup.config(LAYERS);
    ModelConfig wavlm = new ModelConfig(ModelType.WAVLM, tiny.hiddenSize(), LAYERS,
        tiny.numAttentionHeads(), tiny.intermediateSize(), "gelu", "gelu", tiny.convDim(),
        tiny.convKernel(), tiny.convStride(), false, "group", 8, 4, false, 1e-5, true, 16, 40);
    Path dir = TinyModels.save(TaskModel.create(Checkpoints.randomlyInitialised(wavlm, 1), Task.KWS,
        LabelVocabulary.of(TinyModels.LABELS), new LayerDrop(LayerDrop.Mode.NONE, 1, false), 2),
        temp.resolve("wavlm"));
    try (DynamicSpeechModel djl = DynamicSpeechModel.load(dir, InferenceEngine.DJL);
        DynamicSpeechModel onnx = DynamicSpeechModel.load(dir, InferenceEngine.ONNX)) {
      for (InferenceBudget budget : budgets()) {
        for (Audio audio : inputs()) {
          assertSame(djl.infer(audio, budget, "first-k"), onnx.infer(audio, budget, "first-k"),
              "wavlm " + budget);
        }
      }
    }
  }
}
