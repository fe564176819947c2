package dev.icld.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The functional design's promises to training: gradients reach every parameter and gate. */
class TrainingReadinessTest {
  @TempDir Path temp;

  private static final int[] LENGTHS = {400, 300};

  private static void assertGradientsFlow(FoundationModel model) {
    try (NDManager manager = Torch.newManager()) {
      for (NDArray p : model.parameters().values()) {
        p.setRequiresGradient(true);
      }
      NDArray gates = manager.create(new float[][] {{1, 0, 1}, {1, 1, 0}});
      gates.setRequiresGradient(true);
      NDArray waves = manager.randomNormal(new Shape(2, 400));
      try (GradientCollector collector = Torch.engine().newGradientCollector()) {
        ModelOutput out = model.forward(waves, LENGTHS, LayerMask.gated(gates));
        collector.backward(out.lastHiddenState().square().mean());
      }
      for (Map.Entry<String, NDArray> p : model.parameters().entrySet()) {
        if (p.getKey().equals("masked_spec_embed")) { // not used by the forward pass
          continue;
        }
        float norm = p.getValue().getGradient().abs().sum().getFloat();
        assertTrue(norm > 0, p.getKey() + " gets no gradient");
      }
      float[] gateGradient = gates.getGradient().toFloatArray();
      for (int i = 0; i < gateGradient.length; i++) {
        assertTrue(gateGradient[i] != 0, "gate " + i + " gets no gradient");
      }
    }
  }

  @Test
  void gradientsReachEveryParameterAndGate() throws Exception {
    try (FoundationModel model = Checkpoints.load(ReferenceFixtures.dir("base"))) {
      assertGradientsFlow(model);
    }
  }

  @Test
  void wavlmPositionBiasTableGetsGradients() throws Exception {
    ModelConfig config = SyntheticCheckpoint.tinyWavLM(true);
    SyntheticCheckpoint.write(temp, config, SyntheticCheckpoint.tensors(config, 11));
    try (FoundationModel model = Checkpoints.load(temp)) {
      assertGradientsFlow(model);
    }
  }

  /** A forward pass leaves no array behind in the model's own manager. */
  @Test
  void forwardCreatesNothingInTheModelsManager() throws Exception {
    ModelConfig config = SyntheticCheckpoint.tinyWavLM(false);
    SyntheticCheckpoint.write(temp, config, SyntheticCheckpoint.tensors(config, 5));
    try (FoundationModel model = Checkpoints.load(temp); NDManager manager = Torch.newManager()) {
      NDManager own = model.parameters().values().iterator().next().getManager();
      int before = own.getManagedArrays().size();
      model.forward(manager.randomNormal(new Shape(2, 400)), LENGTHS,
          LayerMask.gated(manager.create(new float[][] {{1, 0, 1}, {0, 1, 1}})));
      assertEquals(before, own.getManagedArrays().size());
    }
  }
}
