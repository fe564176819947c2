package dev.icld.selection;

/**
 * How many of a model's L transformer layers may run (METHOD design point 4): keep k, drop rate
 * r = 1 - k/L. A fixed budget keeps exactly k layers for every utterance; an adaptive budget lets
 * the number vary per utterance while the average over many utterances is k (only policies that
 * can vary per input, the input-conditioned selector in adaptive mode, use the difference; the
 * others treat an adaptive budget as fixed).
 *
 * @param layers L, the model's layer count
 * @param keep k, in 1..L (the target average for an adaptive budget)
 * @param adaptive whether per-utterance counts may vary around k
 */
public record Budget(int layers, int keep, boolean adaptive) {
  public Budget {
    if (layers < 1) {
      throw new IllegalArgumentException("a budget needs a model with at least one layer, got " + layers);
    }
    if (keep < 1 || keep > layers) {
      throw new IllegalArgumentException(
          "budget must keep between 1 and " + layers + " layers, got " + keep);
    }
  }

  /** Exactly {@code keep} of {@code layers} layers per utterance. */
  public static Budget of(int keep, int layers) {
    return new Budget(layers, keep, false);
  }

  /** On average {@code keep} of {@code layers} layers, varying per utterance. */
  public static Budget adaptive(int keep, int layers) {
    return new Budget(layers, keep, true);
  }

  /** Every layer. */
  public static Budget full(int layers) {
    return new Budget(layers, layers, false);
  }

  /**
   * The fixed budget nearest to keeping {@code fraction} of the layers (at least one layer): 0.5 of
   * 12 is 6, 0.25 of 12 is 3.
   */
  public static Budget ofFraction(double fraction, int layers) {
    if (!(fraction > 0 && fraction <= 1)) {
      throw new IllegalArgumentException("kept fraction must be in (0, 1], got " + fraction);
    }
    return of(Math.max(1, (int) Math.round(fraction * layers)), layers);
  }

  /** The fixed budget for drop rate r (the fraction of layers skipped, in [0, 1)). */
  public static Budget ofDropRate(double dropRate, int layers) {
    if (!(dropRate >= 0 && dropRate < 1)) {
      throw new IllegalArgumentException("drop rate must be in [0, 1), got " + dropRate);
    }
    return ofFraction(1 - dropRate, layers);
  }

  /** k / L. */
  public double keptFraction() {
    return keep / (double) layers;
  }

  /** 1 - k / L. */
  public double dropRate() {
    return 1 - keptFraction();
  }

  /** The same k as a fixed or adaptive budget. */
  public Budget withAdaptive(boolean adaptive) {
    return new Budget(layers, keep, adaptive);
  }

  @Override
  public String toString() {
    return (adaptive ? "~" : "") + keep + "/" + layers;
  }
}
