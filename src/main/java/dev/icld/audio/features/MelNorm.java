package dev.icld.audio.features;

/** torchaudio's {@code norm} of mel filters: None, or "slaney" area normalisation. */
public enum MelNorm {
  /** Triangles peak at 1. */
  NONE,
  /** Each triangle divided by its width in Hz (times 2), so filters carry about equal energy. */
  SLANEY;

  /** Parses torchaudio's value: null (or "none") or "slaney". */
  public static MelNorm fromName(String name) {
    if (name == null || name.equals("none")) {
      return NONE;
    }
    if (name.equals("slaney")) {
      return SLANEY;
    }
    throw new IllegalArgumentException("unknown mel norm '" + name + "': expected none or slaney");
  }
}
