package dev.icld.audio.features;

/** Input checks shared by the feature extractors, so bad samples fail loudly instead of giving NaN features. */
final class SignalChecks {
  private SignalChecks() {}

  static void requireFinite(float[] samples) {
    if (samples == null) {
      throw new IllegalArgumentException("samples must not be null");
    }
    for (int i = 0; i < samples.length; i++) {
      if (!Float.isFinite(samples[i])) {
        throw new IllegalArgumentException("sample " + i + " is " + samples[i] + ": features need finite samples");
      }
    }
  }
}
