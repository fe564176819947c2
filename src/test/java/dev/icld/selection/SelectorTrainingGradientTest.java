package dev.icld.selection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.icld.model.Checkpoints;
import dev.icld.model.FoundationModel;
import dev.icld.model.LayerMask;
import dev.icld.model.ModelOutput;
import dev.icld.model.Torch;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Stage 2 of METHOD.md end to end on a tiny random backbone (the committed wav2vec 2.0 fixture, 3
 * layers): feature-encoder output, selector logits, straight-through Gumbel top-k gates, gated
 * forward, a loss on the output. The gradient reaches every selector parameter through the gates
 * while the frozen backbone gets none.
 */
class SelectorTrainingGradientTest {
  private static final int[] LENGTHS = {400, 300};

  private static Path fixture() throws Exception {
    return Path.of(SelectorTrainingGradientTest.class.getResource("/dev/icld/model/fixtures/base").toURI());
  }

  @Test
  void selectorParametersLearnThroughTheGatesOfAFrozenBackbone() throws Exception {
    try (FoundationModel model = Checkpoints.load(fixture()); NDManager manager = Torch.newManager()) {
      int layers = model.layerCount();
      int channels = model.config().convDim().get(model.config().convDim().size() - 1);
      SelectorConfig config = new SelectorConfig(SelectorInputKind.FEATURES, channels, 8,
          SelectorPooling.MEAN_MAX, 4, layers, List.of(), Map.of());
      Random random = new Random(4);
      float[] samples = new float[2 * 400];
      for (int i = 0; i < samples.length; i++) {
        samples[i] = (float) (0.5 * random.nextGaussian());
      }
      NDArray waves = manager.create(samples, new Shape(2, 400));
      try (LayerSelector selector = LayerSelector.initialise(config, 3)) {
        for (NDArray p : selector.parameters().values()) {
          p.setRequiresGradient(true);
        }
        // The feature encoder's output alone: no layer runs.
        ModelOutput front = model.forward(waves, LENGTHS, LayerMask.ofLayers(layers));
        NDArray features = front.features().stopGradient();
        GumbelTopK gumbel = new GumbelTopK(8);
        try (GradientCollector collector = Torch.engine().newGradientCollector()) {
          NDArray logits = selector.logits(features, front.frameLengths(), new int[] {2, 2});
          NDArray gates = gumbel.sample(logits, new int[] {2, 2}, 1.0);
          float[] mask = gates.toFloatArray();
          for (int b = 0; b < 2; b++) {
            assertEquals(2, mask[b * layers] + mask[b * layers + 1] + mask[b * layers + 2], 0);
          }
          ModelOutput out = model.forward(waves, LENGTHS, LayerMask.gated(gates));
          collector.backward(out.lastHiddenState().square().mean());
        }
        for (Map.Entry<String, NDArray> p : selector.parameters().entrySet()) {
          float norm = p.getValue().getGradient().abs().sum().getFloat();
          assertTrue(norm > 0, p.getKey() + " gets no gradient");
        }
        for (Map.Entry<String, NDArray> p : model.parameters().entrySet()) {
          assertFalse(p.getValue().hasGradient(), "frozen backbone parameter " + p.getKey());
        }
      }
    }
  }
}
