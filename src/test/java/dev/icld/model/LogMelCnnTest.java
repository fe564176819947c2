package dev.icld.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import dev.icld.data.LabelVocabulary;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The scratch-cnn network: its size, its features, and padding that changes nothing. */
class LogMelCnnTest {
  private static float[] noise(int samples, long seed) {
    Random random = new Random(seed);
    float[] x = new float[samples];
    for (int i = 0; i < samples; i++) {
      x[i] = (float) (0.1 * random.nextGaussian() + 0.3 * Math.sin(i * 0.05 * (1 + seed)));
    }
    return x;
  }

  @Test
  void twelveClassesMakeAbout80kParameters() {
    List<String> names = List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l");
    try (LogMelCnn cnn = LogMelCnn.initialise(LabelVocabulary.of(names), 1)) {
      // 320 + 18,496 + 55,392 in the convs, 96 x 5 x 12 + 12 in the output layer.
      assertEquals(79_980, cnn.parameterCount());
      long sum = cnn.parameters().values().stream().mapToLong(p -> p.size()).sum();
      assertEquals(cnn.parameterCount(), sum);
    }
  }

  @Test
  void featuresAreNormalisedPerBinAndPaddedToEightFrames() {
    try (LogMelCnn cnn = LogMelCnn.initialise(LabelVocabulary.of(List.of("x", "y")), 1)) {
      float[][] f = cnn.features(noise(16_000, 3));
      assertEquals(98, f.length);
      assertEquals(LogMelCnn.MEL_BINS, f[0].length);
      double mean = 0;
      double squares = 0;
      for (float[] frame : f) {
        mean += frame[7] / f.length;
        squares += frame[7] * frame[7] / f.length;
      }
      assertEquals(0, mean, 1e-4);
      // Unit variance but for the small floor that keeps a constant bin finite.
      assertEquals(1, squares, 1e-2);
      assertEquals(LogMelCnn.MIN_FRAMES, cnn.features(noise(800, 4)).length);
      assertThrows(IllegalArgumentException.class, () -> cnn.features(new float[100]));
    }
  }

  @Test
  void anUtteranceGetsTheSameLogitsAloneAndInAPaddedBatch() {
    try (LogMelCnn cnn = LogMelCnn.initialise(LabelVocabulary.of(List.of("x", "y", "z")), 2);
        NDManager manager = Torch.newManager()) {
      float[][] shortOne = cnn.features(noise(5_000, 5));
      float[][] longOne = cnn.features(noise(16_000, 6));
      float[] batched = cnn.logits(List.of(shortOne, longOne), manager).toFloatArray();
      float[] alone = cnn.logits(List.<float[][]>of(shortOne), manager).toFloatArray();
      float[] longAlone = cnn.logits(List.<float[][]>of(longOne), manager).toFloatArray();
      for (int c = 0; c < 3; c++) {
        assertEquals(alone[c], batched[c], 1e-5);
        assertEquals(longAlone[c], batched[3 + c], 1e-5);
      }
      assertArrayEquals(alone, cnn.logits(List.<float[][]>of(shortOne), manager).toFloatArray());
    }
  }
}
