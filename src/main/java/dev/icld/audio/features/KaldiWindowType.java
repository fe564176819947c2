package dev.icld.audio.features;

import java.util.Locale;

/** Kaldi's analysis windows, by the names torchaudio's {@code window_type} accepts. */
public enum KaldiWindowType {
  HAMMING,
  HANNING,
  /** Kaldi's default: a symmetric Hann window raised to the power 0.85, zero at both ends. */
  POVEY,
  RECTANGULAR,
  /** Generalised Blackman with a configurable constant ({@code blackmanCoeff}). */
  BLACKMAN;

  /** Parses torchaudio's lower-case name ("povey", "hamming", ...). */
  public static KaldiWindowType fromName(String name) {
    for (KaldiWindowType type : values()) {
      if (type.pythonName().equals(name)) {
        return type;
      }
    }
    throw new IllegalArgumentException(
        "unknown window type '" + name + "': expected hamming, hanning, povey, rectangular or blackman");
  }

  /** The name torchaudio uses. */
  public String pythonName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The symmetric window of {@code size} points (Kaldi's windows are not periodic). */
  double[] coefficients(int size, double blackmanCoeff) {
    double[] window = new double[size];
    double step = 2 * Math.PI / (size - 1);
    for (int i = 0; i < size; i++) {
      window[i] =
          switch (this) {
            case HANNING -> 0.5 - 0.5 * Math.cos(step * i);
            case HAMMING -> 0.54 - 0.46 * Math.cos(step * i);
            case POVEY -> Math.pow(0.5 - 0.5 * Math.cos(step * i), 0.85);
            case RECTANGULAR -> 1.0;
            case BLACKMAN -> blackmanCoeff - 0.5 * Math.cos(step * i) + (0.5 - blackmanCoeff) * Math.cos(2 * step * i);
          };
    }
    return window;
  }
}
