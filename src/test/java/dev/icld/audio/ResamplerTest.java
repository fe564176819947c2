package dev.icld.audio;

import static dev.icld.audio.SoxWavTest.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResamplerTest {
  /**
   * Measured worst case over the fixtures is 1.5e-5 (11025->16000), 3e-6 for 44100->16000. That is
   * torchaudio's own float32 rounding in conv1d: evaluating torchaudio's kernel in float64 differs
   * from its output by the same amount, while this resampler accumulates in double.
   */
  private static final double TORCHAUDIO_TOLERANCE = 5e-5;

  private static float[] readFloats(String name) throws IOException {
    ByteBuffer bytes =
        ByteBuffer.wrap(Files.readAllBytes(resource("resample/" + name))).order(ByteOrder.LITTLE_ENDIAN);
    float[] values = new float[bytes.remaining() / 4];
    bytes.asFloatBuffer().get(values);
    return values;
  }

  @ParameterizedTest
  @CsvSource({
    "44100, 16000", "8000, 16000", "22050, 16000", "48000, 16000",
    "16000, 22050", "11025, 16000", "16000, 8000"
  })
  void matchesTorchaudioResample(int orig, int target) throws IOException {
    float[] input = readFloats(orig + "_" + target + ".in.f32");
    float[] expected = readFloats(orig + "_" + target + ".out.f32");

    Audio resampled = Resampler.resample(new Audio(input, orig), target);

    assertEquals(target, resampled.sampleRate());
    assertEquals(expected.length, resampled.samples().length);
    double worst = 0;
    for (int i = 0; i < expected.length; i++) {
      worst = Math.max(worst, Math.abs(expected[i] - resampled.samples()[i]));
    }
    assertTrue(worst <= TORCHAUDIO_TOLERANCE, orig + "->" + target + ": max abs difference " + worst);
  }

  @Test
  void sameRateReturnsTheInput() {
    Audio audio = new Audio(new float[] {0.1f, 0.2f}, 16000);
    assertSame(audio, Resampler.resample(audio, 16000));
  }

  @Test
  void outputLengthIsTheCeilingOfTheScaledLength() {
    assertEquals(0, Resampler.resample(new Audio(new float[0], 44100), 16000).samples().length);
    assertEquals(1, Resampler.resample(new Audio(new float[1], 44100), 16000).samples().length);
    assertEquals(363, Resampler.resample(new Audio(new float[1000], 44100), 16000).samples().length);
    assertEquals(2000, Resampler.resample(new Audio(new float[1000], 8000), 16000).samples().length);
  }

  /** The count a header probe reports must be the one resampling makes, to the sample. */
  @ParameterizedTest
  @CsvSource({
    "44100, 16000", "8000, 16000", "22050, 16000", "48000, 16000", "11025, 16000",
    "16000, 22050", "16000, 8000", "16000, 16000"
  })
  void outputLengthCountsWhatResamplingMakes(int orig, int target) {
    for (int length : new int[] {1, 2, 3, 440, 441, 442, 8001}) {
      int made = Resampler.resample(new Audio(new float[length], orig), target).samples().length;
      assertEquals(made, Resampler.outputLength(length, orig, target), orig + "->" + target
          + " of " + length);
    }
  }

  @Test
  void lowToneSurvivesARoundTrip() {
    int rate = 16000;
    float[] tone = new float[rate / 4];
    for (int i = 0; i < tone.length; i++) {
      tone[i] = (float) (0.5 * Math.sin(2 * Math.PI * 300 * i / rate));
    }
    float[] back = Resampler.resample(Resampler.resample(new Audio(tone, rate), 44100), rate).samples();
    assertEquals(tone.length, back.length);
    // Away from the zero-padded edges a 300 Hz tone is far inside the pass band.
    for (int i = 200; i < tone.length - 200; i++) {
      assertEquals(tone[i], back[i], 1e-3, "sample " + i);
    }
  }

  @Test
  void rejectsNonPositiveRates() {
    Audio audio = new Audio(new float[1], 16000);
    assertThrows(IllegalArgumentException.class, () -> Resampler.resample(audio, 0));
    assertThrows(IllegalArgumentException.class, () -> Resampler.outputLength(10, 16000, 0));
  }

  @Test
  void ratiosWhoseFilterWouldNotFitInBoundedMemoryAreRefused() {
    // 2000003 is coprime with 16000: the filter would have 16000 phases of about 1500 taps.
    Audio odd = new Audio(new float[100], 2_000_003);
    IllegalArgumentException down =
        assertThrows(IllegalArgumentException.class, () -> Resampler.resample(odd, 16000));
    assertTrue(down.getMessage().contains("2000003:16000"), down.getMessage());
    Audio audio = new Audio(new float[100], 16000);
    IllegalArgumentException up =
        assertThrows(IllegalArgumentException.class, () -> Resampler.resample(audio, 9_999_991));
    assertTrue(up.getMessage().contains("16000:9999991"), up.getMessage());
  }

  @Test
  void everyPairOfSupportedRatesCanBeDesigned() {
    // The largest filters between rates the readers accept: coprime rates near the ends.
    int[][] pairs = {{383_999, 384_000}, {1_001, 384_000}, {383_999, 1_000}, {383_999, 16_000}};
    for (int[] pair : pairs) {
      Audio resampled = Resampler.resample(new Audio(new float[10], pair[0]), pair[1]);
      assertEquals(pair[1], resampled.sampleRate());
    }
  }

  @Test
  void outputTooLongForAnArrayIsRefusedBeforeItIsAllocated() {
    Audio audio = new Audio(new float[6_000_000], 1_000);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Resampler.resample(audio, 384_000));
    assertTrue(e.getMessage().contains("more than an array holds"), e.getMessage());
  }
}
