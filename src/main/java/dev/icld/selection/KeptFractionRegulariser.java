package dev.icld.selection;

import ai.djl.ndarray.NDArray;

/**
 * The adaptive mode's training regulariser: (mean keep probability - target)^2 over the batch's
 * utterances and layers. It holds the average kept fraction at the target while leaving single
 * inputs free to keep more or fewer layers; add it to the task loss with a weight.
 */
public final class KeptFractionRegulariser {
  private final double target;

  /** @param target the average kept fraction k / L, in (0, 1] */
  public KeptFractionRegulariser(double target) {
    if (!(target > 0 && target <= 1)) {
      throw new IllegalArgumentException("target kept fraction must be in (0, 1], got " + target);
    }
    this.target = target;
  }

  public double target() {
    return target;
  }

  /**
   * @param keepProbabilities [B, L], sigmoid of the selector's logits (or its relaxed gates)
   * @return a scalar loss term
   */
  public NDArray loss(NDArray keepProbabilities) {
    return keepProbabilities.mean().sub((float) target).square();
  }
}
