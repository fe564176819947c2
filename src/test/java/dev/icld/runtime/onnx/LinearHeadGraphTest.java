package dev.icld.runtime.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.icld.model.Torch;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The exported linear head computes x W^T + b on ONNX Runtime, for frames and for pooled states. */
class LinearHeadGraphTest {
  @Test
  void computesTheAffineMapOverTheLastAxis() throws Exception {
    Random random = new Random(5);
    int in = 6;
    int out = 4;
    float[] w = gaussian(random, out * in);
    float[] b = gaussian(random, out);
    float[] x = gaussian(random, 2 * 3 * in);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (NDManager manager = Torch.newManager()) {
      NDArray weight = manager.create(w, new Shape(out, in));
      NDArray bias = manager.create(b, new Shape(out));
      byte[] graph = LinearHeadGraph.export("ctc head", weight, bias, "batch", "frames");
      try (OrtSession session = env.createSession(graph, new OrtSession.SessionOptions());
          OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {2, 3, in});
          OrtSession.Result result = session.run(Map.of(LinearHeadGraph.INPUT, input))) {
        OnnxTensor y = (OnnxTensor) result.get(LinearHeadGraph.OUTPUT).orElseThrow();
        assertArrayEquals(new long[] {2, 3, out}, y.getInfo().getShape());
        float[] actual = new float[2 * 3 * out];
        y.getFloatBuffer().get(actual);
        for (int row = 0; row < 6; row++) {
          for (int o = 0; o < out; o++) {
            double expected = b[o];
            for (int i = 0; i < in; i++) {
              expected += x[row * in + i] * w[o * in + i];
            }
            assertTrue(Math.abs(expected - actual[row * out + o]) < 1e-5, "row " + row + " out " + o);
          }
        }
      }
    }
  }

  @Test
  void refusesABiasOfTheWrongSizeNamingTheHead() {
    try (NDManager manager = Torch.newManager()) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> LinearHeadGraph.export("speaker head", manager.zeros(new Shape(4, 6)),
              manager.zeros(new Shape(5)), "batch"));
      assertTrue(e.getMessage().contains("speaker head"), e.getMessage());
    }
  }

  private static float[] gaussian(Random random, int n) {
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return values;
  }
}
