package dev.icld.selection;

/** What the layer-selecting network reads (METHOD design point 2). */
public enum SelectorInputKind {
  /** The conv feature encoder's output, [B, T, C] at the backbone's 50 Hz: already computed. */
  FEATURES("features"),
  /** Log-mel filterbanks of the waveform, [B, T, 80] at 100 Hz (see {@link LogMelFilterbanks}). */
  LOG_MEL("log-mel");

  private final String label;

  SelectorInputKind(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  public static SelectorInputKind fromLabel(String label) {
    for (SelectorInputKind kind : values()) {
      if (kind.label.equals(label)) {
        return kind;
      }
    }
    throw new IllegalArgumentException(
        "selector input must be \"features\" or \"log-mel\", got \"" + label + "\"");
  }
}
