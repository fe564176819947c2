package dev.icld.audio;

import dev.icld.files.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Writes mono 16-bit PCM WAV files atomically (temp file in the same directory, then a rename). */
public final class WavWriter {
  private static final int HEADER_BYTES = 44;
  private static final long MAX_DATA_BYTES = 0xFFFFFFFFL - (HEADER_BYTES - 8);

  private WavWriter() {}

  /**
   * Samples are clipped to [-1, 1] and mapped to round(x * 32768), capped at 32767, which is exactly
   * the inverse of how {@link AudioFiles#read} scales 16-bit PCM (v / 32768).
   *
   * @throws IllegalArgumentException if a sample is NaN or infinite
   */
  public static void writePcm16(Path file, Audio audio) throws IOException {
    float[] samples = audio.samples();
    long dataBytes = 2L * samples.length;
    if (dataBytes > MAX_DATA_BYTES) {
      throw new IllegalArgumentException(
          "audio too long for a WAV file: " + samples.length + " samples");
    }
    ByteBuffer wav = ByteBuffer.allocate(HEADER_BYTES + (int) dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    wav.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt((int) (HEADER_BYTES - 8 + dataBytes));
    wav.put("WAVE".getBytes(StandardCharsets.US_ASCII));
    wav.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16);
    wav.putShort((short) 1); // PCM
    wav.putShort((short) 1); // mono
    wav.putInt(audio.sampleRate());
    wav.putInt(audio.sampleRate() * 2); // byte rate
    wav.putShort((short) 2); // block align
    wav.putShort((short) 16);
    wav.put("data".getBytes(StandardCharsets.US_ASCII)).putInt((int) dataBytes);
    for (int i = 0; i < samples.length; i++) {
      wav.putShort(toPcm16(samples[i], i));
    }
    AtomicFiles.write(file, out -> out.write(wav.array()));
  }

  static short toPcm16(float sample, int index) {
    if (!Float.isFinite(sample)) {
      throw new IllegalArgumentException(
          "sample " + index + " is " + sample + ", which cannot be written as PCM");
    }
    long value = Math.round(sample * 32768.0);
    return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, value));
  }
}
