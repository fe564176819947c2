package dev.icld.selection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.icld.model.Torch;
import org.junit.jupiter.api.Test;

class AdaptiveThresholdTest {
  @Test
  void thresholdKeepsTheTargetShareOfGates() {
    float[][] probabilities = {
      {0.9f, 0.1f, 0.6f, 0.2f},
      {0.8f, 0.7f, 0.3f, 0.05f},
    };
    // Half of the 8 gates: 0.9, 0.8, 0.7, 0.6 kept; midpoint between 0.6 and the next, 0.3.
    assertEquals(0.45, AdaptiveThreshold.calibrate(probabilities, 0.5), 1e-6);
    assertEquals(0.85, AdaptiveThreshold.calibrate(probabilities, 0.125), 1e-6);
    assertEquals(0.025, AdaptiveThreshold.calibrate(probabilities, 1.0), 1e-6);
    assertThrows(IllegalArgumentException.class, () -> AdaptiveThreshold.calibrate(probabilities, 0));
  }

  @Test
  void gatesKeepAtLeastTheMostLikelyLayer() {
    float[][] logits = {{2f, -1f, 0.5f}, {-3f, -1f, -2f}};
    boolean[][] gates = AdaptiveThreshold.gates(logits, 0.6);
    assertArrayEquals(new boolean[] {true, false, true}, gates[0]);
    assertArrayEquals(new boolean[] {false, true, false}, gates[1]);
  }

  @Test
  void regulariserPullsTheMeanKeepProbabilityToTheTarget() {
    try (NDManager manager = Torch.newManager()) {
      NDArray p = manager.create(new float[] {0.9f, 0.7f, 0.8f, 0.6f}, new Shape(2, 2));
      p.setRequiresGradient(true);
      KeptFractionRegulariser regulariser = new KeptFractionRegulariser(0.5);
      try (GradientCollector collector = Torch.engine().newGradientCollector()) {
        NDArray loss = regulariser.loss(p);
        assertEquals(0.0625, loss.getFloat(), 1e-6); // (0.75 - 0.5)^2
        collector.backward(loss);
      }
      // d/dp_i (mean - t)^2 = 2 (mean - t) / N = 0.125: every gate is pushed down equally.
      assertArrayEquals(new float[] {0.125f, 0.125f, 0.125f, 0.125f}, p.getGradient().toFloatArray(), 1e-6f);
      assertThrows(IllegalArgumentException.class, () -> new KeptFractionRegulariser(0));
    }
  }
}
