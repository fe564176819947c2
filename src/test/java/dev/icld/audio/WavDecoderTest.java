package dev.icld.audio;

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

class WavDecoderTest {
  private static final int PCM = 1;
  private static final int FLOAT = 3;

  @TempDir Path dir;

  private Path write(String name, byte[] bytes) throws IOException {
    Path file = dir.resolve(name);
    Files.write(file, bytes);
    return file;
  }

  private Audio read(WavBytes wav) throws IOException {
    return AudioFiles.read(write("test.wav", wav.bytes()));
  }

  private AudioFormatException readFails(WavBytes wav) throws IOException {
    return readFails(wav.bytes());
  }

  private AudioFormatException readFails(byte[] bytes) throws IOException {
    Path file = write("bad.wav", bytes);
    AudioFormatException e = assertThrows(AudioFormatException.class, () -> AudioFiles.read(file));
    assertEquals(file, e.file());
    assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    return e;
  }

  private static void assertMentions(Exception e, String... parts) {
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), "'" + e.getMessage() + "' should mention '" + part + "'");
    }
  }

  @Test
  void unsignedEightBit() throws IOException {
    byte[] data = {0, (byte) 128, (byte) 255, 64};
    Audio audio = read(WavBytes.riff().fmt(PCM, 1, 8000, 8).data(data));
    assertArrayEquals(new float[] {-1f, 0f, 127 / 128f, -0.5f}, audio.samples());
    assertEquals(8000, audio.sampleRate());
  }

  @Test
  void sixteenBit() throws IOException {
    Audio audio = read(WavBytes.riff().fmt(PCM, 1, 16000, 16).data(WavBytes.pcm16((short) -32768, (short) 0, (short) 16384, (short) 32767)));
    assertArrayEquals(new float[] {-1f, 0f, 0.5f, 32767 / 32768f}, audio.samples());
  }

  @Test
  void twentyFourBit() throws IOException {
    Audio audio = read(WavBytes.riff().fmt(PCM, 1, 16000, 24).data(WavBytes.pcm24(-8388608, -1, 4194304, 8388607)));
    assertArrayEquals(new float[] {-1f, -1 / 8388608f, 0.5f, 8388607 / 8388608f}, audio.samples());
  }

  @Test
  void thirtyTwoBit() throws IOException {
    Audio audio = read(WavBytes.riff().fmt(PCM, 1, 16000, 32).data(WavBytes.pcm32(Integer.MIN_VALUE, 0, 1 << 30)));
    assertArrayEquals(new float[] {-1f, 0f, 0.5f}, audio.samples());
  }

  @Test
  void floatThirtyTwoAndSixtyFour() throws IOException {
    float[] values = {-1f, 0.25f, 0.999f, 1.5f};
    assertArrayEquals(values, read(WavBytes.riff().fmt(FLOAT, 1, 16000, 32).data(WavBytes.float32(values))).samples());
    assertArrayEquals(values, read(WavBytes.riff().fmt(FLOAT, 1, 16000, 64).data(WavBytes.float64(-1.0, 0.25, 0.999f, 1.5))).samples());
  }

  @Test
  void extensibleFormatUsesItsSubFormat() throws IOException {
    Audio pcm = read(WavBytes.riff().fmtExtensible(PCM, 1, 48000, 24).data(WavBytes.pcm24(4194304, -4194304)));
    assertArrayEquals(new float[] {0.5f, -0.5f}, pcm.samples());
    assertEquals(48000, pcm.sampleRate());
    Audio ieee = read(WavBytes.riff().fmtExtensible(FLOAT, 1, 48000, 32).data(WavBytes.float32(0.125f)));
    assertArrayEquals(new float[] {0.125f}, ieee.samples());
  }

  @Test
  void channelsAreAveraged() throws IOException {
    short[] interleaved = {16384, 0, -32768, 32767, 8192, 8192};
    Audio audio = read(WavBytes.riff().fmt(PCM, 3, 16000, 16).data(WavBytes.pcm16(interleaved)));
    assertArrayEquals(new float[] {(0.5f + 0f - 1f) / 3, (32767 / 32768f + 0.25f + 0.25f) / 3}, audio.samples(), 1e-7f);
  }

  @Test
  void chunksInAnyOrderWithOddSizesAndPadding() throws IOException {
    byte[] data = WavBytes.pcm16((short) 100, (short) -100);
    WavBytes wav =
        WavBytes.riff()
            .chunk("LIST", "INFOodd".getBytes())
            .data(data)
            .chunk("junk", new byte[3])
            .fmt(PCM, 1, 16000, 16)
            .chunk("cue ", new byte[1]);
    assertArrayEquals(new float[] {100 / 32768f, -100 / 32768f}, read(wav).samples());
  }

  @Test
  void rf64TakesTheDataSizeFromDs64() throws IOException {
    byte[] data = WavBytes.pcm16((short) 1, (short) 2, (short) 3);
    ByteBuffer ds64 = WavBytes.le(28).putLong(0).putLong(data.length).putLong(3).putInt(0);
    WavBytes wav =
        WavBytes.riff().rf64().chunk("ds64", ds64.array()).fmt(PCM, 1, 16000, 16)
            .chunkDeclaringSize("data", 0xFFFFFFFFL, data);
    assertArrayEquals(new float[] {1 / 32768f, 2 / 32768f, 3 / 32768f}, read(wav).samples());
  }

  @Test
  void dataChunkShorterThanDeclaredIsTruncated() throws IOException {
    WavBytes wav = WavBytes.riff().fmt(PCM, 1, 16000, 16).chunkDeclaringSize("data", 1000, new byte[10]);
    assertMentions(readFails(wav), "truncated", "'data'", "1000", "10");
  }

  @Test
  void headerCutShortIsAnError() throws IOException {
    byte[] whole = WavBytes.riff().fmt(PCM, 1, 16000, 16).data(WavBytes.pcm16((short) 1)).bytes();
    assertMentions(readFails(Arrays.copyOf(whole, 30)), "truncated", "'fmt '");
    assertMentions(readFails(Arrays.copyOf(whole, 40)), "no 'data' chunk");
    assertMentions(readFails(Arrays.copyOf(whole, 8)), "RIFF header cut short");
  }

  @Test
  void missingFmtChunkIsAnError() throws IOException {
    assertMentions(readFails(WavBytes.riff().data(WavBytes.pcm16((short) 1))), "no 'fmt ' chunk");
  }

  @Test
  void zeroSamplesIsAnError() throws IOException {
    assertMentions(readFails(WavBytes.riff().fmt(PCM, 2, 16000, 16).data(new byte[0])), "no samples");
  }

  @Test
  void partialFrameIsAnError() throws IOException {
    assertMentions(readFails(WavBytes.riff().fmt(PCM, 2, 16000, 16).data(new byte[6])), "6 bytes", "4-byte frames");
  }

  @Test
  void unsupportedEncodingsNameTheirFormatCode() throws IOException {
    assertMentions(readFails(WavBytes.riff().fmt(7, 1, 8000, 8).data(new byte[4])), "format code 7", "mu-law", "PCM", "float");
    assertMentions(readFails(WavBytes.riff().fmt(2, 1, 8000, 4).data(new byte[4])), "format code 2", "ADPCM");
    assertMentions(readFails(WavBytes.riff().fmtExtensible(6, 1, 8000, 8).data(new byte[4])), "format code 6", "A-law");
    assertMentions(readFails(WavBytes.riff().fmt(FLOAT, 1, 8000, 16).data(new byte[4])), "IEEE float with 16 bits");
  }

  @Test
  void nonFiniteFloatSamplesAreReportedWithTheirPosition() throws IOException {
    float[] stereo = {0f, 0f, 0.1f, 0.2f, 0.3f, Float.NaN};
    assertMentions(readFails(WavBytes.riff().fmt(FLOAT, 2, 16000, 32).data(WavBytes.float32(stereo))), "sample 2 of channel 1", "NaN");
    assertMentions(readFails(WavBytes.riff().fmt(FLOAT, 1, 16000, 64).data(WavBytes.float64(0, Double.NEGATIVE_INFINITY))), "sample 1", "Infinity");
  }

  @Test
  void inconsistentBlockAlignIsAnError() throws IOException {
    byte[] wav = WavBytes.riff().fmt(PCM, 2, 16000, 16).data(new byte[8]).bytes();
    wav[12 + 8 + 12] = 3; // block align of a 2-channel 16-bit stream must be 4
    assertMentions(readFails(wav), "block align 3");
  }

  @Test
  void riffOfAnotherTypeIsNotWav() throws IOException {
    byte[] avi = WavBytes.riff().fmt(PCM, 1, 16000, 16).data(new byte[2]).bytes();
    System.arraycopy("AVI ".getBytes(), 0, avi, 8, 4);
    assertMentions(readFails(avi), "not a WAV or FLAC file", "'AVI'");
  }
}
