package dev.icld.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LatencyModelTest {
  private static List<LatencyModel.Measurement> measurements(LatencyModel truth, double noise, long seed) {
    Random random = new Random(seed);
    List<LatencyModel.Measurement> out = new ArrayList<>();
    for (double seconds : new double[] {1, 3}) {
      // One layer's GFLOPs grow faster than the length (attention).
      CallShape shape = new CallShape(seconds, 0.2 * seconds + 0.01 * seconds * seconds);
      for (int k : new int[] {1, 6, 12}) {
        out.add(new LatencyModel.Measurement(shape, k,
            truth.predictMs(shape, k) * (1 + noise * random.nextGaussian())));
      }
    }
    return out;
  }

  @Test
  void fitRecoversTheCoefficientsOfExactMeasurements() {
    LatencyModel truth = new LatencyModel(3, 10, 0.5, 20);
    LatencyModel fitted = LatencyModel.fit(measurements(truth, 0, 1));
    assertEquals(3, fitted.fixedMs(), 1e-4);
    assertEquals(10, fitted.msPerSecond(), 1e-4);
    assertEquals(0.5, fitted.msPerLayer(), 1e-4);
    assertEquals(20, fitted.msPerLayerGigaFlop(), 1e-4);
  }

  @Test
  void noisyMeasurementsNeverGiveNegativeCosts() {
    // No fixed cost: noise pushes its unconstrained estimate below zero half the time.
    LatencyModel truth = new LatencyModel(0, 10, 0, 20);
    for (long seed = 0; seed < 50; seed++) {
      List<LatencyModel.Measurement> m = measurements(truth, 0.05, seed);
      LatencyModel fitted = LatencyModel.fit(m);
      for (LatencyModel.Measurement x : m) {
        assertTrue(fitted.predictMs(x.shape(), x.layers()) > 0);
        assertEquals(x.milliseconds(), fitted.predictMs(x.shape(), x.layers()),
            0.2 * x.milliseconds(), "seed " + seed);
      }
    }
  }

  @Test
  void measurementsAtOneLengthStillPredictThem() {
    CallShape shape = new CallShape(2, 0.5);
    LatencyModel fitted = LatencyModel.fit(List.of(new LatencyModel.Measurement(shape, 1, 12),
        new LatencyModel.Measurement(shape, 4, 18)));
    assertEquals(12, fitted.predictMs(shape, 1), 1e-3);
    assertEquals(18, fitted.predictMs(shape, 4), 1e-3);
  }

  @Test
  void coefficientsMustBeNonNegative() {
    assertThrows(IllegalArgumentException.class, () -> new LatencyModel(-1, 0, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> LatencyModel.fit(List.of()));
  }
}
