package dev.icld.audio.features;

import java.util.Locale;

/** torchaudio's {@code mel_scale}: the Hz to mel mapping of {@link MelFilterBank}. */
public enum MelScaleType {
  /** 2595 log10(1 + f / 700). */
  HTK,
  /** Slaney's Auditory Toolbox: linear below 1 kHz (3 mel per 200 Hz), logarithmic above. */
  SLANEY;

  private static final double SLANEY_HZ_PER_MEL = 200.0 / 3;
  private static final double SLANEY_LOG_START_HZ = 1000.0;
  private static final double SLANEY_LOG_START_MEL = SLANEY_LOG_START_HZ / SLANEY_HZ_PER_MEL;
  private static final double SLANEY_LOG_STEP = Math.log(6.4) / 27.0;

  /** Parses torchaudio's name, "htk" or "slaney". */
  public static MelScaleType fromName(String name) {
    for (MelScaleType type : values()) {
      if (type.name().toLowerCase(Locale.ROOT).equals(name)) {
        return type;
      }
    }
    throw new IllegalArgumentException("unknown mel scale '" + name + "': expected htk or slaney");
  }

  double hzToMel(double hz) {
    if (this == HTK) {
      return 2595.0 * Math.log10(1.0 + hz / 700.0);
    }
    if (hz >= SLANEY_LOG_START_HZ) {
      return SLANEY_LOG_START_MEL + Math.log(hz / SLANEY_LOG_START_HZ) / SLANEY_LOG_STEP;
    }
    return hz / SLANEY_HZ_PER_MEL;
  }

  double melToHz(double mel) {
    if (this == HTK) {
      return 700.0 * (Math.pow(10.0, mel / 2595.0) - 1.0);
    }
    if (mel >= SLANEY_LOG_START_MEL) {
      return SLANEY_LOG_START_HZ * Math.exp(SLANEY_LOG_STEP * (mel - SLANEY_LOG_START_MEL));
    }
    return mel * SLANEY_HZ_PER_MEL;
  }
}
