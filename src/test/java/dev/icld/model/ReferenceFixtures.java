package dev.icld.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import dev.icld.model.io.SafeTensors;
import dev.icld.model.io.TensorData;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;

/** The committed torchaudio fixtures (scripts/fixtures/make_model_fixtures.py) and comparisons. */
final class ReferenceFixtures {
  static final String[] MODELS = {"base", "large", "hubert"};
  static final double TOLERANCE = 1e-4;

  private ReferenceFixtures() {}

  static Path dir(String model) {
    try {
      return Path.of(ReferenceFixtures.class.getResource("/dev/icld/model/fixtures/" + model).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Map<String, TensorData> reference(String model) throws IOException {
    return SafeTensors.read(dir(model).resolve("reference.safetensors"));
  }

  static int[] ints(TensorData t) {
    int[] out = new int[t.values().length];
    for (int i = 0; i < out.length; i++) {
      out[i] = Math.round(t.values()[i]);
    }
    return out;
  }

  /**
   * Max |actual - expected| over the valid frames of [B, T, F] arrays (padded frames are
   * excluded: the reference and Hugging Face leave different values there).
   */
  static double maxDiffOnValidFrames(NDArray actual, TensorData expected, int[] frameLengths) {
    assertArrayEquals(expected.shape(), actual.getShape().getShape(), "shape");
    float[] a = actual.toFloatArray();
    float[] e = expected.values();
    int frames = (int) expected.shape()[1];
    int width = (int) expected.shape()[2];
    double max = 0;
    for (int b = 0; b < frameLengths.length; b++) {
      for (int t = 0; t < frameLengths[b]; t++) {
        for (int f = 0; f < width; f++) {
          int i = (b * frames + t) * width + f;
          max = Math.max(max, Math.abs(a[i] - e[i]));
        }
      }
    }
    return max;
  }

  static void assertClose(NDArray actual, NDArray expected, double tolerance, String what) {
    assertArrayEquals(expected.getShape().getShape(), actual.getShape().getShape(), what + " shape");
    float[] a = actual.toFloatArray();
    float[] e = expected.toFloatArray();
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - e[i]));
    }
    assertTrue(max <= tolerance, what + ": max abs difference " + max + " > " + tolerance);
  }
}
