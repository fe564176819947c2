package dev.icld.audio;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Builds WAV files byte by byte, so tests can make exactly the odd or broken file they need. */
final class WavBytes {
  private final ByteArrayOutputStream chunks = new ByteArrayOutputStream();
  private String riffId = "RIFF";

  static WavBytes riff() {
    return new WavBytes();
  }

  WavBytes rf64() {
    riffId = "RF64";
    return this;
  }

  /** A plain 16-byte fmt chunk. */
  WavBytes fmt(int formatCode, int channels, int sampleRate, int bitsPerSample) {
    int blockAlign = channels * ((bitsPerSample + 7) / 8);
    ByteBuffer b = le(16);
    b.putShort((short) formatCode).putShort((short) channels).putInt(sampleRate);
    b.putInt(sampleRate * blockAlign).putShort((short) blockAlign).putShort((short) bitsPerSample);
    return chunk("fmt ", b.array());
  }

  /** A 40-byte WAVE_FORMAT_EXTENSIBLE fmt chunk whose sub-format GUID carries {@code subFormat}. */
  WavBytes fmtExtensible(int subFormat, int channels, int sampleRate, int bitsPerSample) {
    int blockAlign = channels * ((bitsPerSample + 7) / 8);
    ByteBuffer b = le(40);
    b.putShort((short) 0xFFFE).putShort((short) channels).putInt(sampleRate);
    b.putInt(sampleRate * blockAlign).putShort((short) blockAlign).putShort((short) bitsPerSample);
    b.putShort((short) 22).putShort((short) bitsPerSample).putInt(0);
    b.putShort((short) subFormat);
    b.put(new byte[] {0, 0, 0, 0, 0x10, 0, (byte) 0x80, 0, 0, (byte) 0xAA, 0, 0x38, (byte) 0x9B, 0x71});
    return chunk("fmt ", b.array());
  }

  WavBytes data(byte[] samples) {
    return chunk("data", samples);
  }

  /** A chunk with its true size, followed by a padding byte when the size is odd. */
  WavBytes chunk(String id, byte[] body) {
    return chunkDeclaringSize(id, body.length, body);
  }

  WavBytes chunkDeclaringSize(String id, long declaredSize, byte[] body) {
    chunks.writeBytes(id.getBytes(StandardCharsets.US_ASCII));
    chunks.writeBytes(le(4).putInt((int) declaredSize).array());
    chunks.writeBytes(body);
    if (body.length % 2 == 1) {
      chunks.write(0);
    }
    return this;
  }

  byte[] bytes() {
    byte[] body = chunks.toByteArray();
    ByteBuffer b = le(12 + body.length);
    b.put(riffId.getBytes(StandardCharsets.US_ASCII));
    b.putInt(riffId.equals("RF64") ? -1 : 4 + body.length);
    b.put("WAVE".getBytes(StandardCharsets.US_ASCII)).put(body);
    return b.array();
  }

  static byte[] pcm16(int... values) {
    ByteBuffer b = le(2 * values.length);
    for (int v : values) {
      b.putShort((short) v);
    }
    return b.array();
  }

  static byte[] pcm24(int... values) {
    ByteBuffer b = le(3 * values.length);
    for (int v : values) {
      b.put((byte) v).put((byte) (v >> 8)).put((byte) (v >> 16));
    }
    return b.array();
  }

  static byte[] pcm32(int... values) {
    ByteBuffer b = le(4 * values.length);
    for (int v : values) {
      b.putInt(v);
    }
    return b.array();
  }

  static byte[] float32(float... values) {
    ByteBuffer b = le(4 * values.length);
    for (float v : values) {
      b.putFloat(v);
    }
    return b.array();
  }

  static byte[] float64(double... values) {
    ByteBuffer b = le(8 * values.length);
    for (double v : values) {
      b.putDouble(v);
    }
    return b.array();
  }

  static ByteBuffer le(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
  }
}
