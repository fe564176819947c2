package dev.icld.audio;

/** Mono audio: samples in [-1, 1] at {@code sampleRate} Hz. */
public record Audio(float[] samples, int sampleRate) {
  public Audio {
    if (sampleRate <= 0) {
      throw new IllegalArgumentException("sample rate must be positive, got " + sampleRate);
    }
  }

  public double durationSeconds() {
    return samples.length / (double) sampleRate;
  }
}
