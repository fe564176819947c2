package dev.icld.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class TorchTest {
  @Test
  void engineStartsOfflineAndComputes() {
    try (NDManager manager = Torch.newManager()) {
      assertEquals("true", System.getProperty("ai.djl.offline"));
      NDArray a = manager.create(new float[] {1, 2, 3});
      assertArrayEquals(new float[] {2, 4, 6}, a.mul(2).toFloatArray());
    }
  }
}
