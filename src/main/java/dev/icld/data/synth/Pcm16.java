package dev.icld.data.synth;

/** Raw little-endian signed 16-bit samples, as sox writes them to a pipe, to floats in [-1, 1). */
final class Pcm16 {
  private Pcm16() {}

  static float[] decode(byte[] bytes) {
    float[] samples = new float[bytes.length / 2];
    for (int i = 0; i < samples.length; i++) {
      int lo = bytes[2 * i] & 0xff;
      int hi = bytes[2 * i + 1];
      samples[i] = (short) ((hi << 8) | lo) / 32768f;
    }
    return samples;
  }
}
