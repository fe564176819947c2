package dev.icld.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A scalar operand stays valid until the backward pass reads it, however Java's native memory is
 * freed and reused in between (DJL's own number operands do not: their memory is released as soon
 * as the forward op returns, and the gradient then reads whatever was written there since).
 */
class ScalarTest {
  @Test
  void gradientThroughAScalarFactorIsThatFactorAfterMemoryIsReused() throws Exception {
    try (NDManager manager = Torch.newManager()) {
      NDArray x = manager.create(new float[] {1, -2, 3, 0.5f});
      x.setRequiresGradient(true);
      for (int rep = 0; rep < 5; rep++) {
        List<ByteBuffer> filler;
        try (NDManager step = manager.newSubManager();
            GradientCollector collector = Torch.engine().newGradientCollector()) {
          NDArray y = x.mul(Scalar.of(x, 0.125)).maximum(Scalar.of(x, -1.0))
              .div(Scalar.of(x, 0.5));
          NDArray loss = y.sum();
          filler = FreedMemory.overwrite();
          collector.backward(loss);
        }
        try (NDArray gradient = x.getGradient()) {
          float[] expected = new float[4];
          Arrays.fill(expected, 0.25f);
          assertArrayEquals(expected, gradient.toFloatArray(), 0f, "repetition " + rep);
          gradient.muli(0);
        }
        assertEquals(4000, filler.size());
      }
    }
  }

  @Test
  void hasTheTypeAndManagerOfItsModel() {
    try (NDManager manager = Torch.newManager()) {
      NDArray like = manager.create(new float[] {1, 2});
      NDArray scalar = Scalar.of(like, 3.5);
      assertEquals(0, scalar.getShape().dimension());
      assertEquals(like.getDataType(), scalar.getDataType());
      assertEquals(3.5f, scalar.getFloat());
      assertEquals(manager, scalar.getManager());
    }
  }
}
