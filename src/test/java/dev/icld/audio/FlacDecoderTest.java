package dev.icld.audio;

import static dev.icld.audio.SoxWavTest.resource;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** FLACs encoded by sox from committed WAVs (scripts/fixtures/make_audio_fixtures.py). */
class FlacDecoderTest {
  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource({"s16_stereo, 16000, 2, 16", "s16_mono, 16000, 1, 16", "s24_stereo, 22050, 2, 24"})
  void decodesToExactlyTheIntegerSamplesOfTheSourceWav(String name, int rate, int channels, int bits)
      throws IOException {
    MultichannelAudio wav = AudioFiles.decode(resource("flac/" + name + ".wav"));
    MultichannelAudio flac = AudioFiles.decode(resource("flac/" + name + ".flac"));
    assertEquals(rate, flac.sampleRate());
    assertEquals(channels, flac.channels().length);
    assertEquals(9000, flac.frameCount());
    double full = 1L << (bits - 1);
    for (int c = 0; c < channels; c++) {
      int[] expected = toIntegers(wav.channels()[c], full);
      int[] actual = toIntegers(flac.channels()[c], full);
      assertArrayEquals(expected, actual, "channel " + c);
    }
    // The fixture starts with full-scale extremes, so both ends of the range are covered.
    assertEquals((int) full - 1, toIntegers(flac.channels()[0], full)[0]);
    assertEquals((int) -full, toIntegers(flac.channels()[0], full)[1]);
    assertArrayEquals(
        AudioFiles.read(resource("flac/" + name + ".wav")).samples(),
        AudioFiles.read(resource("flac/" + name + ".flac")).samples());
  }

  /** Exact: every integer of up to 24 bits scaled by a power of two is a float. */
  private static int[] toIntegers(float[] samples, double full) {
    int[] values = new int[samples.length];
    for (int i = 0; i < samples.length; i++) {
      double scaled = samples[i] * full;
      assertEquals(Math.rint(scaled), scaled, 0.0, "sample " + i + " is not an integer");
      values[i] = (int) scaled;
    }
    return values;
  }

  @Test
  void flacAfterAnId3TagIsRecognised() throws IOException {
    byte[] flac = Files.readAllBytes(resource("flac/s16_mono.flac"));
    byte[] tag = {'I', 'D', '3', 4, 0, 0, 0, 0, 0, 5, 1, 2, 3, 4, 5};
    byte[] tagged = new byte[tag.length + flac.length];
    System.arraycopy(tag, 0, tagged, 0, tag.length);
    System.arraycopy(flac, 0, tagged, tag.length, flac.length);
    Path file = dir.resolve("tagged.flac");
    Files.write(file, tagged);
    float[] untagged = AudioFiles.read(resource("flac/s16_mono.flac")).samples();
    assertArrayEquals(untagged, AudioFiles.read(file).samples());
  }

  @Test
  void truncatedFlacIsAnError() throws IOException {
    byte[] flac = Files.readAllBytes(resource("flac/s16_stereo.flac"));
    AudioFormatException e = readFails(Arrays.copyOf(flac, flac.length / 2));
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
  }

  @Test
  void flacCutInsideItsHeaderIsAnError() throws IOException {
    byte[] flac = Files.readAllBytes(resource("flac/s16_stereo.flac"));
    AudioFormatException e = readFails(Arrays.copyOf(flac, 20));
    assertTrue(e.getMessage().contains("FLAC header cut short"), e.getMessage());
  }

  @Test
  void corruptedFlacIsAnErrorNotGarbage() throws IOException {
    byte[] flac = Files.readAllBytes(resource("flac/s16_stereo.flac"));
    for (int offset : new int[] {flac.length / 3, flac.length / 2, flac.length - 100}) {
      byte[] damaged = flac.clone();
      damaged[offset] ^= 0x5A;
      AudioFormatException e = readFails(damaged);
      assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
    }
  }

  @Test
  void flacWithoutStreamInfoIsAnError() throws IOException {
    byte[] flac = Files.readAllBytes(resource("flac/s16_mono.flac"));
    flac[4] = (byte) ((flac[4] & 0x80) | 4); // first block claims to be a VORBIS_COMMENT
    AudioFormatException e = readFails(flac);
    assertTrue(e.getMessage().contains("not STREAMINFO"), e.getMessage());
  }

  private AudioFormatException readFails(byte[] bytes) throws IOException {
    Path file = dir.resolve("bad.flac");
    Files.write(file, bytes);
    AudioFormatException e = assertThrows(AudioFormatException.class, () -> AudioFiles.read(file));
    assertEquals(file, e.file());
    return e;
  }
}
