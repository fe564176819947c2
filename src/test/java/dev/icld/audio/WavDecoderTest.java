package dev.icld.audio;

import static dev.icld.audio.WavBytes.float32;
import static dev.icld.audio.WavBytes.float64;
import static dev.icld.audio.WavBytes.pcm16;
import static dev.icld.audio.WavBytes.pcm24;
import static dev.icld.audio.WavBytes.pcm32;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** WAV files built byte by byte, each with exactly the feature or defect under test. */
class WavDecoderTest {
  private static final int PCM = 1;
  private static final int FLOAT = 3;

  @TempDir Path dir;

  private static WavBytes wav(int formatCode, int channels, int bitsPerSample, byte[] data) {
    return WavBytes.riff().fmt(formatCode, channels, 16000, bitsPerSample).data(data);
  }

  private float[] samples(WavBytes wav) throws IOException {
    return read(wav).samples();
  }

  private Audio read(WavBytes wav) throws IOException {
    Path file = dir.resolve("test.wav");
    Files.write(file, wav.bytes());
    return AudioFiles.read(file);
  }

  private void assertFails(WavBytes wav, String... expected) throws IOException {
    assertFails(wav.bytes(), expected);
  }

  /** Reading fails as expected, and so does probing the header, with the same message. */
  private void assertFails(byte[] bytes, String... expected) throws IOException {
    Path file = decodingFails(bytes, expected);
    AudioFormatException probed =
        assertThrows(AudioFormatException.class, () -> AudioFiles.probe(file));
    assertEquals(assertThrows(AudioFormatException.class, () -> AudioFiles.read(file)).getMessage(),
        probed.getMessage());
  }

  private Path decodingFails(byte[] bytes, String... expected) throws IOException {
    Path file = dir.resolve("bad.wav");
    Files.write(file, bytes);
    AudioFormatException e = assertThrows(AudioFormatException.class, () -> AudioFiles.read(file));
    assertEquals(file, e.file());
    assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
    for (String part : expected) {
      assertTrue(e.getMessage().contains(part), "'" + e.getMessage() + "' lacks '" + part + "'");
    }
    return file;
  }

  @Test
  void unsignedEightBit() throws IOException {
    Audio audio = read(WavBytes.riff().fmt(PCM, 1, 8000, 8).data(new byte[] {0, (byte) 128, -1, 64}));
    assertArrayEquals(new float[] {-1f, 0f, 127 / 128f, -0.5f}, audio.samples());
    assertEquals(8000, audio.sampleRate());
  }

  @Test
  void sixteenBit() throws IOException {
    byte[] data = pcm16(-32768, 0, 16384, 32767);
    assertArrayEquals(new float[] {-1f, 0f, 0.5f, 32767 / 32768f}, samples(wav(PCM, 1, 16, data)));
  }

  @Test
  void twentyFourBit() throws IOException {
    byte[] data = pcm24(-8388608, -1, 4194304, 8388607);
    float[] expected = {-1f, -1 / 8388608f, 0.5f, 8388607 / 8388608f};
    assertArrayEquals(expected, samples(wav(PCM, 1, 24, data)));
  }

  @Test
  void thirtyTwoBit() throws IOException {
    byte[] data = pcm32(Integer.MIN_VALUE, 0, 1 << 30);
    assertArrayEquals(new float[] {-1f, 0f, 0.5f}, samples(wav(PCM, 1, 32, data)));
  }

  @Test
  void floatThirtyTwoAndSixtyFourArePassedThroughUnclipped() throws IOException {
    float[] values = {-1f, 0.25f, 0.999f, 1.5f};
    assertArrayEquals(values, samples(wav(FLOAT, 1, 32, float32(values))));
    assertArrayEquals(values, samples(wav(FLOAT, 1, 64, float64(-1.0, 0.25, 0.999f, 1.5))));
  }

  @Test
  void extensibleFormatUsesItsSubFormat() throws IOException {
    WavBytes pcm = WavBytes.riff().fmtExtensible(PCM, 1, 48000, 24).data(pcm24(4194304, -4194304));
    assertArrayEquals(new float[] {0.5f, -0.5f}, samples(pcm));
    assertEquals(48000, read(pcm).sampleRate());
    WavBytes ieee = WavBytes.riff().fmtExtensible(FLOAT, 1, 48000, 32).data(float32(0.125f));
    assertArrayEquals(new float[] {0.125f}, samples(ieee));
  }

  @Test
  void channelsAreAveraged() throws IOException {
    byte[] threeChannels = pcm16(16384, 0, -32768, 32767, 8192, 8192);
    float[] expected = {(0.5f + 0f - 1f) / 3, (32767 / 32768f + 0.25f + 0.25f) / 3};
    assertArrayEquals(expected, samples(wav(PCM, 3, 16, threeChannels)), 1e-7f);
  }

  @Test
  void chunksInAnyOrderWithOddSizesAndPadding() throws IOException {
    WavBytes wav =
        WavBytes.riff()
            .chunk("LIST", "INFOodd".getBytes())
            .data(pcm16(100, -100))
            .chunk("junk", new byte[3])
            .fmt(PCM, 1, 16000, 16)
            .chunk("cue ", new byte[1]);
    assertArrayEquals(new float[] {100 / 32768f, -100 / 32768f}, samples(wav));
  }

  @Test
  void rf64TakesTheDataSizeFromDs64() throws IOException {
    byte[] data = pcm16(1, 2, 3);
    ByteBuffer ds64 = WavBytes.le(28).putLong(0).putLong(data.length).putLong(3).putInt(0);
    WavBytes wav =
        WavBytes.riff()
            .rf64()
            .chunk("ds64", ds64.array())
            .fmt(PCM, 1, 16000, 16)
            .chunkDeclaringSize("data", 0xFFFFFFFFL, data);
    assertArrayEquals(new float[] {1 / 32768f, 2 / 32768f, 3 / 32768f}, samples(wav));
  }

  @Test
  void dataChunkShorterThanDeclaredIsTruncated() throws IOException {
    WavBytes wav = WavBytes.riff().fmt(PCM, 1, 16000, 16).chunkDeclaringSize("data", 1000, new byte[10]);
    assertFails(wav, "truncated", "'data'", "1000", "10");
  }

  @Test
  void headerCutShortIsAnError() throws IOException {
    byte[] whole = wav(PCM, 1, 16, pcm16(1)).bytes();
    assertFails(Arrays.copyOf(whole, 30), "truncated", "'fmt '");
    assertFails(Arrays.copyOf(whole, 40), "no 'data' chunk");
    assertFails(Arrays.copyOf(whole, 8), "RIFF header cut short");
  }

  @Test
  void missingFmtChunkIsAnError() throws IOException {
    assertFails(WavBytes.riff().data(pcm16(1)), "no 'fmt ' chunk");
  }

  @Test
  void zeroSamplesIsAnError() throws IOException {
    assertFails(wav(PCM, 2, 16, new byte[0]), "no samples");
  }

  @Test
  void partialFrameIsAnError() throws IOException {
    assertFails(wav(PCM, 2, 16, new byte[6]), "6 bytes", "4-byte frames");
  }

  @Test
  void unsupportedEncodingsNameTheirFormatCode() throws IOException {
    assertFails(wav(7, 1, 8, new byte[4]), "format code 7", "mu-law", "PCM", "float");
    assertFails(wav(2, 1, 4, new byte[4]), "format code 2", "ADPCM");
    WavBytes extensibleAlaw = WavBytes.riff().fmtExtensible(6, 1, 8000, 8).data(new byte[4]);
    assertFails(extensibleAlaw, "format code 6", "A-law");
    assertFails(wav(FLOAT, 1, 16, new byte[4]), "IEEE float with 16 bits");
  }

  /** Only decoding sees them: probing reads no sample. */
  @Test
  void nonFiniteFloatSamplesAreReportedWithTheirPosition() throws IOException {
    byte[] stereo = float32(0f, 0f, 0.1f, 0.2f, 0.3f, Float.NaN);
    Path file = decodingFails(wav(FLOAT, 2, 32, stereo).bytes(), "sample 2 of channel 1", "NaN");
    assertEquals(new AudioInfo(16000, 2, 3), AudioFiles.probe(file));
    byte[] mono = float64(0, Double.NEGATIVE_INFINITY);
    decodingFails(wav(FLOAT, 1, 64, mono).bytes(), "sample 1 of channel 0", "Infinity");
  }

  /** The data chunk is checked where the walk reaches it, so probing and decoding agree. */
  @Test
  void aBadDataChunkIsReportedBeforeATruncatedChunkAfterIt() throws IOException {
    assertFails(wav(PCM, 1, 16, new byte[0]).chunkDeclaringSize("LIST", 100, new byte[4]),
        "no samples");
    assertFails(wav(PCM, 2, 16, new byte[6]).chunkDeclaringSize("LIST", 100, new byte[4]),
        "6 bytes", "4-byte frames");
  }

  /** Probing stops at the data chunk: a chunk after it cut short is found by decoding alone. */
  @Test
  void aTruncatedChunkAfterTheSamplesIsLeftToDecoding() throws IOException {
    WavBytes wav = wav(PCM, 1, 16, pcm16(1, 2)).chunkDeclaringSize("LIST", 100, new byte[4]);
    Path file = decodingFails(wav.bytes(), "truncated", "'LIST'", "100");
    assertEquals(new AudioInfo(16000, 1, 2), AudioFiles.probe(file));
  }

  @Test
  void inconsistentBlockAlignIsAnError() throws IOException {
    byte[] bytes = wav(PCM, 2, 16, new byte[8]).bytes();
    bytes[12 + 8 + 12] = 3; // block align of a 2-channel 16-bit stream must be 4
    assertFails(bytes, "block align 3");
  }

  @Test
  void riffOfAnotherTypeIsNotWav() throws IOException {
    byte[] avi = wav(PCM, 1, 16, new byte[2]).bytes();
    System.arraycopy("AVI ".getBytes(), 0, avi, 8, 4);
    assertFails(avi, "not a WAV or FLAC file", "'AVI'");
  }

  @Test
  void sampleRatesOutsideOneToThreeHundredEightyFourKilohertzAreRefused() throws IOException {
    for (int rate : new int[] {0, 999, 384_001, -1}) {
      WavBytes wav = WavBytes.riff().fmt(PCM, 1, rate, 16).data(pcm16(1, 2));
      assertFails(wav, "WAV 'fmt ' chunk", "sample rate " + Integer.toUnsignedString(rate) + " Hz",
          "1000 to 384000 Hz");
    }
    for (int rate : new int[] {1000, 384_000}) {
      Audio audio = read(WavBytes.riff().fmt(PCM, 1, rate, 16).data(pcm16(1, 2)));
      assertEquals(rate, audio.sampleRate());
    }
  }

  @Test
  void moreThanSixtyFourChannelsAreRefused() throws IOException {
    assertFails(wav(PCM, 65, 8, new byte[65]), "WAV 'fmt ' chunk", "65 channels", "64 supported");
    assertEquals(1, samples(wav(PCM, 64, 8, new byte[64])).length);
  }

  @Test
  void audioLongerThanAnHourIsRefusedBeforeItIsDecoded() throws IOException {
    // One sample over an hour at the lowest rate and narrowest sample: 3.6 MB.
    byte[] hourAndASample = new byte[3600 * 1000 + 1];
    WavBytes wav = WavBytes.riff().fmt(PCM, 1, 1000, 8).data(hourAndASample);
    assertFails(wav, "WAV 'data' chunk", "3600001 samples at 1000 Hz", "limit of 3600 s",
        AudioFiles.MAX_SECONDS_PROPERTY);
  }

  @Test
  void theDurationLimitIsASystemProperty() throws IOException {
    WavBytes threeSeconds = WavBytes.riff().fmt(PCM, 1, 1000, 8).data(new byte[3000]);
    String before = System.getProperty(AudioFiles.MAX_SECONDS_PROPERTY);
    try {
      System.setProperty(AudioFiles.MAX_SECONDS_PROPERTY, "2");
      assertFails(threeSeconds, "3.0 s of audio", "limit of 2 s");
      System.setProperty(AudioFiles.MAX_SECONDS_PROPERTY, "3");
      assertEquals(3000, samples(threeSeconds).length);
      System.setProperty(AudioFiles.MAX_SECONDS_PROPERTY, "an hour");
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> samples(threeSeconds));
      assertTrue(e.getMessage().contains(AudioFiles.MAX_SECONDS_PROPERTY), e.getMessage());
    } finally {
      if (before == null) {
        System.clearProperty(AudioFiles.MAX_SECONDS_PROPERTY);
      } else {
        System.setProperty(AudioFiles.MAX_SECONDS_PROPERTY, before);
      }
    }
  }
}
