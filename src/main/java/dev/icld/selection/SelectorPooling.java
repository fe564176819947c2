package dev.icld.selection;

/**
 * How the layer-selecting network summarises an utterance's frames before its output layer.
 * METHOD's example, and the default, pools by the mean alone. The mean with the maximum beside it
 * tells keywords apart better at the same conv when trained as a classifier, but as a selector it
 * traded budget 6 for budget 3 on kws and did not make the masks follow the class (RESULTS.md,
 * "Can the selector see the keyword?").
 */
public enum SelectorPooling {
  /** The mean over the valid frames: H values. */
  MEAN("mean", 1),
  /** The mean and the maximum over the valid frames, concatenated: 2H values. */
  MEAN_MAX("mean+max", 2);

  private final String label;
  private final int statistics;

  SelectorPooling(String label, int statistics) {
    this.label = label;
    this.statistics = statistics;
  }

  public String label() {
    return label;
  }

  /** The pooled vector's width for {@code hiddenChannels} conv outputs. */
  public int width(int hiddenChannels) {
    return statistics * hiddenChannels;
  }

  public static SelectorPooling fromLabel(String label) {
    for (SelectorPooling pooling : values()) {
      if (pooling.label.equals(label)) {
        return pooling;
      }
    }
    throw new IllegalArgumentException(
        "selector pooling must be \"mean\" or \"mean+max\", got \"" + label + "\"");
  }
}
