package dev.icld.audio.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Properties the torchaudio fixtures do not cover: FFT layout, dither, log floor, concurrency. */
class FeatureBehaviourTest {

  @Test
  void powerSpectrumMatchesADirectDft() {
    java.util.Random random = new java.util.Random(7);
    for (int size : new int[] {2, 3, 8, 9, 255, 400, 512}) {
      double[] signal = random.doubles(size, -1, 1).toArray();
      double[] expected = new double[size / 2 + 1];
      for (int k = 0; k < expected.length; k++) {
        double re = 0;
        double im = 0;
        for (int n = 0; n < size; n++) {
          re += signal[n] * Math.cos(2 * Math.PI * k * n / size);
          im -= signal[n] * Math.sin(2 * Math.PI * k * n / size);
        }
        expected[k] = re * re + im * im;
      }
      double[] actual = new double[size / 2 + 1];
      new RealFft(size).powerSpectrum(signal.clone(), actual);
      for (int k = 0; k < expected.length; k++) {
        assertEquals(expected[k], actual[k], 1e-9 * size, "size " + size + ", bin " + k);
      }
    }
  }

  @Test
  void seededDitherIsReproducibleAndSmall() {
    float[] samples = TorchaudioFixtures.signal("s16k_odd").samples();
    KaldiFbankOptions plain = KaldiFbankOptions.defaults();
    KaldiFbankOptions dithered = plain.toBuilder().dither(1e-4).ditherSeed(42).build();
    float[][] a = new KaldiFbank(dithered).compute(samples);
    float[][] b = new KaldiFbank(dithered).compute(samples);
    float[][] otherSeed = new KaldiFbank(dithered.toBuilder().ditherSeed(43).build()).compute(samples);
    float[][] none = new KaldiFbank(plain).compute(samples);
    assertTrue(Arrays.deepEquals(a, b), "same seed, same features");
    assertFalse(Arrays.deepEquals(a, otherSeed), "another seed, other noise");
    assertFalse(Arrays.deepEquals(a, none), "dither changes the features");
    for (int t = 0; t < a.length; t++) {
      for (int j = 0; j < a[t].length; j++) {
        assertEquals(none[t][j], a[t][j], 1e-2, "dither of 1e-4 barely moves log energies");
      }
    }
  }

  @Test
  void logFloorClampsBeforeTakingTheLog() {
    float[][] logs = new LogFloor(1e-6).apply(new float[][] {{0f, 1f, (float) Math.E}});
    assertArrayEquals(new float[] {(float) Math.log(1e-6), 0f, 1f}, logs[0], 1e-6f);
  }

  @Test
  void deltasOfNoFramesAreNoFrames() {
    assertEquals(0, new Deltas().appendDeltas(new float[0][]).length);
  }

  @Test
  void oneInstanceServesSeveralThreads() {
    float[] samples = TorchaudioFixtures.signal("s16k_1s").samples();
    KaldiMfcc mfcc = new KaldiMfcc(KaldiMfccOptions.defaults());
    MelSpectrogram mel = new MelSpectrogram(MelSpectrogramOptions.defaults());
    float[][] mfccAlone = mfcc.compute(samples);
    float[][] melAlone = mel.compute(samples);
    List<Boolean> same =
        IntStream.range(0, 8)
            .parallel()
            .mapToObj(i -> Arrays.deepEquals(mfccAlone, mfcc.compute(samples))
                && Arrays.deepEquals(melAlone, mel.compute(samples)))
            .toList();
    assertFalse(same.contains(false), "concurrent results differ from the sequential ones");
  }
}
