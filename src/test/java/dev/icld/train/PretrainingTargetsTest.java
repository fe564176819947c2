package dev.icld.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PretrainingTargetsTest {
  @Test
  void kmeansRecoversWellSeparatedClustersDeterministically() {
    float[][] centres = {{0, 0}, {10, 0}, {0, 10}, {10, 10}};
    Random random = new Random(1);
    float[][] frames = new float[400][];
    int[] truth = new int[400];
    for (int i = 0; i < frames.length; i++) {
      truth[i] = i % 4;
      frames[i] = new float[] {
        centres[truth[i]][0] + (float) random.nextGaussian() * 0.5f,
        centres[truth[i]][1] + (float) random.nextGaussian() * 0.5f};
    }
    KMeans.Model model = KMeans.fit(frames, 4, 50, 7);
    int[] assigned = model.assignAll(frames);
    // Same true cluster <=> same assigned cluster, for every pair with frame 0..3.
    for (int i = 0; i < frames.length; i++) {
      for (int c = 0; c < 4; c++) {
        assertEquals(truth[i] == c, assigned[i] == assigned[c], "frame " + i);
      }
    }
    assertTrue(model.inertia() / frames.length < 1.0, "inertia " + model.inertia());
    KMeans.Model again = KMeans.fit(frames, 4, 50, 7);
    for (int c = 0; c < 4; c++) {
      assertArrayEquals(model.centroids()[c], again.centroids()[c], 0f);
    }
    assertThrows(IllegalArgumentException.class, () -> KMeans.fit(new float[2][3], 3, 10, 0));
  }

  @Test
  void spanMaskingMasksSpansInsideValidFramesAtAboutTheExpectedRate() {
    SpanMasking masking = SpanMasking.hubert();
    int[] lengths = {500, 300, 5};
    Random random = new Random(3);
    double maskedShare = 0;
    int trials = 200;
    for (int trial = 0; trial < trials; trial++) {
      boolean[][] mask = masking.sample(lengths, 500, random);
      for (int t = 300; t < 500; t++) {
        assertFalse(mask[1][t], "padding masked");
      }
      for (int t = 0; t < 5; t++) {
        assertFalse(mask[2][t], "an utterance shorter than a span has no span");
      }
      int count = 0;
      for (boolean m : mask[0]) {
        count += m ? 1 : 0;
      }
      maskedShare += count / 500.0 / trials;
    }
    // 40 spans of 10 over 491 starts, drawn without replacement: the expected covered share is
    // about 1 - (1 - 10/500)^40 = 0.55 (overlaps), well below the nominal 0.8.
    assertEquals(0.55, maskedShare, 0.05);
    boolean[][] a = masking.sample(lengths, 500, new Random(9));
    boolean[][] b = masking.sample(lengths, 500, new Random(9));
    for (int i = 0; i < a.length; i++) {
      assertArrayEquals(a[i], b[i]);
    }
  }
}
