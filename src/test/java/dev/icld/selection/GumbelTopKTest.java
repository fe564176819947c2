package dev.icld.selection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.icld.model.Torch;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GumbelTopKTest {
  private static final int BATCH = 3;
  private static final int LAYERS = 6;
  private static final float[] LOGITS = {
    0.3f, -1.2f, 2.0f, 0.7f, 0.1f, -0.4f,
    1.5f, 0.2f, -0.3f, 0.9f, -2.0f, 0.4f,
    -0.5f, 0.8f, 0.6f, -0.1f, 1.1f, 0.0f,
  };
  private static final int[] KEEP = {2, 4, 1};

  @Test
  void forwardKeepsExactlyKOnesPerUtterance() {
    GumbelTopK gumbel = new GumbelTopK(11);
    try (NDManager manager = Torch.newManager()) {
      NDArray logits = manager.create(LOGITS, new Shape(BATCH, LAYERS));
      for (int draw = 0; draw < 20; draw++) {
        NDArray sampled = gumbel.sample(logits, KEEP, 0.5);
        assertEquals(DataType.FLOAT32, sampled.getDataType());
        float[] mask = sampled.toFloatArray();
        for (int b = 0; b < BATCH; b++) {
          int ones = 0;
          for (int i = 0; i < LAYERS; i++) {
            float m = mask[b * LAYERS + i];
            assertEquals(m == 1f ? 1f : 0f, m, 0, "values are exactly 0 or 1");
            ones += m == 1f ? 1 : 0;
          }
          assertEquals(KEEP[b], ones, "utterance " + b);
        }
      }
    }
  }

  @Test
  void withoutNoiseItIsTheTopKOfTheLogits() {
    try (NDManager manager = Torch.newManager()) {
      NDArray logits = manager.create(LOGITS, new Shape(BATCH, LAYERS));
      float[] mask = GumbelTopK.straightThrough(logits, new float[BATCH * LAYERS], KEEP, 1.0)
          .toFloatArray();
      assertArrayEquals(new float[] {
        0, 0, 1, 1, 0, 0, // 2.0, 0.7
        1, 1, 0, 1, 0, 1, // 1.5, 0.9, 0.4, 0.2
        0, 0, 0, 0, 1, 0, // 1.1
      }, mask, 0);
    }
  }

  @Test
  void seededNoiseRepeatsAndChangesTheMask() {
    try (NDManager manager = Torch.newManager()) {
      NDArray logits = manager.zeros(new Shape(1, 12));
      int[] four = {4};
      float[] a = new GumbelTopK(5).sample(logits, four, 1).toFloatArray();
      float[] b = new GumbelTopK(5).sample(logits, four, 1).toFloatArray();
      GumbelTopK other = new GumbelTopK(6);
      assertArrayEquals(a, b);
      boolean changed = false;
      for (int i = 0; i < 5 && !changed; i++) {
        changed = !Arrays.equals(a, other.sample(logits, four, 1).toFloatArray());
      }
      assertTrue(changed, "other seeds draw other masks");
    }
  }

  /**
   * The gradient w.r.t. the logits is that of k softmax((logits + g) / tau): with upstream
   * gradient u, (k / tau) p_j (u_j - sum_i u_i p_i), computed here by hand in double precision.
   */
  @Test
  void gradientIsThatOfTheScaledSoftmaxRelaxation() {
    double tau = 0.7;
    Random random = new Random(3);
    float[] noise = new float[BATCH * LAYERS];
    float[] upstream = new float[BATCH * LAYERS];
    for (int i = 0; i < noise.length; i++) {
      noise[i] = (float) GumbelTopK.gumbel(random);
      upstream[i] = (float) random.nextGaussian();
    }
    try (NDManager manager = Torch.newManager()) {
      NDArray logits = manager.create(LOGITS, new Shape(BATCH, LAYERS));
      logits.setRequiresGradient(true);
      try (GradientCollector collector = Torch.engine().newGradientCollector()) {
        NDArray mask = GumbelTopK.straightThrough(logits, noise, KEEP, tau);
        collector.backward(mask.mul(manager.create(upstream, new Shape(BATCH, LAYERS))).sum());
      }
      float[] gradient = logits.getGradient().toFloatArray();
      for (int b = 0; b < BATCH; b++) {
        double[] p = new double[LAYERS];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < LAYERS; i++) {
          max = Math.max(max, (LOGITS[b * LAYERS + i] + noise[b * LAYERS + i]) / tau);
        }
        double norm = 0;
        for (int i = 0; i < LAYERS; i++) {
          p[i] = Math.exp((LOGITS[b * LAYERS + i] + noise[b * LAYERS + i]) / tau - max);
          norm += p[i];
        }
        double expected = 0;
        for (int i = 0; i < LAYERS; i++) {
          p[i] /= norm;
          expected += upstream[b * LAYERS + i] * p[i];
        }
        for (int j = 0; j < LAYERS; j++) {
          double analytic = KEEP[b] / tau * p[j] * (upstream[b * LAYERS + j] - expected);
          assertEquals(analytic, gradient[b * LAYERS + j], 1e-5, "utterance " + b + " layer " + j);
        }
      }
    }
  }

  /** The adaptive-mode gates: hard where logit + noise > 0, gradient of sigmoid(z / tau). */
  @Test
  void sigmoidGatesAreHardForwardAndSigmoidBackward() {
    double tau = 0.5;
    try (NDManager manager = Torch.newManager()) {
      NDArray logits = manager.create(LOGITS, new Shape(BATCH, LAYERS));
      logits.setRequiresGradient(true);
      float[] gates;
      try (GradientCollector collector = Torch.engine().newGradientCollector()) {
        NDArray g = GumbelSigmoidGates.straightThrough(logits, new float[BATCH * LAYERS], tau);
        gates = g.toFloatArray();
        collector.backward(g.sum());
      }
      float[] gradient = logits.getGradient().toFloatArray();
      for (int i = 0; i < LOGITS.length; i++) {
        assertEquals(LOGITS[i] > 0 ? 1f : 0f, gates[i], 0);
        double s = 1 / (1 + Math.exp(-LOGITS[i] / tau));
        assertEquals(s * (1 - s) / tau, gradient[i], 1e-5);
      }
      float[] drawn = new GumbelSigmoidGates(1).sample(logits, tau).toFloatArray();
      assertArrayEquals(drawn, new GumbelSigmoidGates(1).sample(logits, tau).toFloatArray());
    }
  }

  @Test
  void temperatureDecaysExponentiallyToItsFloor() {
    TemperatureSchedule schedule = new TemperatureSchedule(2.0, 0.5, 100);
    assertEquals(2.0, schedule.at(0), 1e-12);
    assertEquals(1.0, schedule.at(50), 1e-12);
    assertEquals(0.5, schedule.at(100), 1e-12);
    assertEquals(0.5, schedule.at(1000), 1e-12);
    assertThrows(IllegalArgumentException.class, () -> new TemperatureSchedule(0.1, 0.5, 10));
    assertThrows(IllegalArgumentException.class, () -> new TemperatureSchedule(1, 0, 10));
  }

  @Test
  void badBudgetsAndTemperaturesAreRefused() {
    try (NDManager manager = Torch.newManager()) {
      NDArray logits = manager.create(LOGITS, new Shape(BATCH, LAYERS));
      GumbelTopK gumbel = new GumbelTopK(1);
      IllegalArgumentException k = assertThrows(IllegalArgumentException.class,
          () -> gumbel.sample(logits, new int[] {2, 7, 1}, 1));
      assertEquals("budget must keep between 1 and 6 layers, got 7", k.getMessage());
      assertThrows(IllegalArgumentException.class, () -> gumbel.sample(logits, new int[] {2}, 1));
      assertThrows(IllegalArgumentException.class, () -> gumbel.sample(logits, KEEP, 0));
    }
  }
}
