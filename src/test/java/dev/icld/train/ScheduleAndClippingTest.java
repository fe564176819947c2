package dev.icld.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.icld.model.Torch;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduleAndClippingTest {
  @Test
  void warmupThenLinearAndCosineDecay() {
    LearningRateSchedule linear =
        new LearningRateSchedule(1.0, 4, 14, LearningRateSchedule.Decay.LINEAR);
    assertEquals(0.25, linear.rate(0), 1e-12);
    assertEquals(1.0, linear.rate(3), 1e-12);
    assertEquals(1.0, linear.rate(4), 1e-12);
    assertEquals(0.5, linear.rate(9), 1e-12);
    assertEquals(0.0, linear.rate(14), 1e-12);
    assertEquals(0.0, linear.rate(20), 1e-12);
    LearningRateSchedule cosine =
        new LearningRateSchedule(2.0, 0, 10, LearningRateSchedule.Decay.COSINE);
    assertEquals(2.0, cosine.rate(0), 1e-12);
    assertEquals(1.0, cosine.rate(5), 1e-12);
    assertEquals(0.0, cosine.rate(10), 1e-12);
    assertThrows(IllegalArgumentException.class,
        () -> new LearningRateSchedule(1.0, 11, 10, LearningRateSchedule.Decay.LINEAR));
  }

  @Test
  void clipsTheGlobalNormOnlyWhenAboveTheBound() {
    try (NDManager m = Torch.newManager()) {
      NDArray a = m.create(new float[] {3, 0});
      NDArray b = m.create(new float[] {0, 4});
      assertEquals(5.0, GradientClipping.clipGlobalNorm(List.of(a, b), 10), 1e-6);
      assertArrayEquals(new float[] {3, 0}, a.toFloatArray(), 0f);
      assertEquals(5.0, GradientClipping.clipGlobalNorm(List.of(a, b), 1), 1e-6);
      assertArrayEquals(new float[] {0.6f, 0}, a.toFloatArray(), 1e-6f);
      assertArrayEquals(new float[] {0, 0.8f}, b.toFloatArray(), 1e-6f);
    }
  }
}
