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
    AudioFormatException e = framesFail(Arrays.copyOf(flac, flac.length / 2));
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
      AudioFormatException e = framesFail(damaged);
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

  /** Sox writes STREAMINFO, a SEEKTABLE, then a VORBIS_COMMENT marked last; frames follow. */
  private static final int STREAMINFO = 8;
  private static final int VORBIS_COMMENT_HEADER = 8 + 34 + 4 + 18;
  static final int FRAMES = VORBIS_COMMENT_HEADER + 4 + 68;

  @Test
  void fixtureLayoutIsTheOneTheseTestsEdit() throws IOException {
    byte[] flac = Files.readAllBytes(resource("flac/s16_mono.flac"));
    assertEquals(4, flac[VORBIS_COMMENT_HEADER] & 0x7F);
    assertEquals(0x80, flac[VORBIS_COMMENT_HEADER] & 0x80);
    assertEquals(0xFF, flac[FRAMES] & 0xFF, "frame sync");
  }

  @Test
  void metadataContentsAreSkippedNotParsed() throws IOException {
    // jflac would allocate the 2 GB vendor string this tag declares inside its 68-byte block.
    byte[] flac = Files.readAllBytes(resource("flac/s16_mono.flac"));
    int vendorLength = VORBIS_COMMENT_HEADER + 4;
    flac[vendorLength] = (byte) 0xF0;
    flac[vendorLength + 1] = (byte) 0xFF;
    flac[vendorLength + 2] = (byte) 0xFF;
    flac[vendorLength + 3] = (byte) 0x7F;
    Path file = Files.write(dir.resolve("tag-bomb.flac"), flac);
    assertArrayEquals(
        AudioFiles.read(resource("flac/s16_mono.flac")).samples(), AudioFiles.read(file).samples());
    assertEquals(9000, AudioFiles.probe(file).frames());
  }

  @Test
  void metadataBlockReachingPastTheEndIsAnError() throws IOException {
    byte[] flac = Files.readAllBytes(resource("flac/s16_mono.flac"));
    flac[VORBIS_COMMENT_HEADER + 1] = 0x7F; // a length of about 8 MB in a 15 kB file
    AudioFormatException e = readFails(flac);
    assertTrue(e.getMessage().contains("type 4 declares 8323140 bytes, past the end"), e.getMessage());
  }

  @Test
  void corruptFramesEndDecodingAtTheFirstOne() throws IOException {
    byte[] flac = Files.readAllBytes(resource("flac/s16_stereo.flac"));
    // Every frame damaged: a decoder that resynchronised would try each of them in turn.
    for (int at = FRAMES + 20; at < flac.length; at += 50) {
      flac[at] ^= 0x5A;
    }
    AudioFormatException e = framesFail(flac);
    assertTrue(e.getMessage().contains("corrupt FLAC stream after sample 0 "), e.getMessage());
  }

  @Test
  void runOfFrameSyncCodesEndsAtTheFirstBadHeader() throws IOException {
    byte[] flac = Files.readAllBytes(resource("flac/s16_mono.flac"));
    for (int at = FRAMES; at + 1 < flac.length; at += 2) {
      flac[at] = (byte) 0xFF;
      flac[at + 1] = (byte) 0xF8;
    }
    AudioFormatException e = framesFail(flac);
    assertTrue(e.getMessage().contains("corrupt FLAC stream after sample 0 "), e.getMessage());
  }

  @Test
  void streamInfoOutsideTheBoundsIsRefusedByField() throws IOException {
    byte[] rate = Files.readAllBytes(resource("flac/s16_mono.flac"));
    setBits(rate, STREAMINFO + 10, 0, 20, 500_000);
    assertTrue(readFails(rate).getMessage().contains(
        "FLAC STREAMINFO: sample rate 500000 Hz is outside the supported 1000 to 384000 Hz"));

    byte[] blockSize = Files.readAllBytes(resource("flac/s16_mono.flac"));
    blockSize[STREAMINFO] = 0;
    blockSize[STREAMINFO + 1] = 0;
    assertTrue(readFails(blockSize).getMessage().contains(
        "FLAC STREAMINFO: block sizes 0 to 1152 are invalid"));

    byte[] hours = Files.readAllBytes(resource("flac/s16_mono.flac"));
    setBits(hours, STREAMINFO + 13, 4, 36, 16_000L * 3601);
    String message = readFails(hours).getMessage();
    assertTrue(message.contains("FLAC STREAMINFO: 3601.0 s of audio"), message);
  }

  @Test
  void streamOfUnknownLengthIsBoundedByTheDurationLimit() throws IOException {
    byte[] flac = Files.readAllBytes(resource("flac/s16_mono.flac"));
    setBits(flac, STREAMINFO + 13, 4, 36, 0); // total samples unknown
    Arrays.fill(flac, STREAMINFO + 18, STREAMINFO + 34, (byte) 0); // and no MD5
    byte[] twice = Arrays.copyOf(flac, flac.length + flac.length - FRAMES);
    System.arraycopy(flac, FRAMES, twice, flac.length, flac.length - FRAMES);
    Path file = Files.write(dir.resolve("twice.flac"), twice);
    assertEquals(2 * 9000, AudioFiles.read(file).samples().length);

    String before = System.getProperty(AudioFiles.MAX_SECONDS_PROPERTY);
    try {
      System.setProperty(AudioFiles.MAX_SECONDS_PROPERTY, "1");
      AudioFormatException e = assertThrows(AudioFormatException.class, () -> AudioFiles.read(file));
      // The second copy's seventh frame (9000 + 7 * 1152 samples) is the first past the limit.
      String message = e.getMessage();
      assertTrue(message.contains("FLAC frames: 1.1 s of audio (17064 samples"), message);
    } finally {
      if (before == null) {
        System.clearProperty(AudioFiles.MAX_SECONDS_PROPERTY);
      } else {
        System.setProperty(AudioFiles.MAX_SECONDS_PROPERTY, before);
      }
    }
  }

  /** Writes {@code value} into {@code width} bits starting {@code skip} bits into byte {@code at}. */
  private static void setBits(byte[] bytes, int at, int skip, int width, long value) {
    for (int i = 0; i < width; i++) {
      int bit = skip + i;
      int mask = 0x80 >>> (bit % 8);
      boolean set = (value >>> (width - 1 - i) & 1) != 0;
      bytes[at + bit / 8] = (byte) (set ? bytes[at + bit / 8] | mask : bytes[at + bit / 8] & ~mask);
    }
  }

  /** A problem in the headers: decoding and probing refuse the file with the same message. */
  private AudioFormatException readFails(byte[] bytes) throws IOException {
    Path file = dir.resolve("bad.flac");
    AudioFormatException e = decodingFails(file, bytes);
    AudioFormatException probed =
        assertThrows(AudioFormatException.class, () -> AudioFiles.probe(file));
    assertEquals(e.getMessage(), probed.getMessage());
    return e;
  }

  /**
   * A problem in the frames, past the headers a probe reads: decoding refuses the file, the probe
   * takes the fixtures' length from STREAMINFO.
   */
  private AudioFormatException framesFail(byte[] bytes) throws IOException {
    Path file = dir.resolve("bad-frames.flac");
    AudioFormatException e = decodingFails(file, bytes);
    assertEquals(9000, AudioFiles.probe(file).frames());
    return e;
  }

  private static AudioFormatException decodingFails(Path file, byte[] bytes) throws IOException {
    Files.write(file, bytes);
    AudioFormatException e = assertThrows(AudioFormatException.class, () -> AudioFiles.read(file));
    assertEquals(file, e.file());
    return e;
  }
}
