package dev.icld.methods;

/** What a method may need beyond the fine-tuned model, each named as its absence is reported. */
public enum Need {
  /** A head after every layer: a model fine-tuned with {@code --layer-drop early-exit}. */
  EXIT_HEADS("exit heads"),
  /** The input-conditioned layer selector ({@code icld train-selector}). */
  SELECTOR("layer selector"),
  /** A searched subset of layers per budget, stored beside the model. */
  STATIC_SUBSETS("static subsets"),
  /** Per budget, an entropy threshold calibrated on a dev set. */
  EXIT_THRESHOLDS("calibrated entropy thresholds");

  private final String what;

  Need(String what) {
    this.what = what;
  }

  /** What it is, as in "this model has no ...". */
  public String what() {
    return what;
  }
}
