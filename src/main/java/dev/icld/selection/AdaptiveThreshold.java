package dev.icld.selection;

import java.util.Arrays;

/**
 * Adaptive mode's gate threshold (METHOD design point 4): a layer runs when its keep probability
 * sigmoid(logit) exceeds the threshold, so the number of layers varies per input. Calibrated on a
 * set of inputs so that the average kept fraction meets the target.
 */
public final class AdaptiveThreshold {
  private AdaptiveThreshold() {}

  /**
   * The threshold that keeps round(target * N) of the N = utterances x layers probabilities: the
   * midpoint between the last kept and the first dropped value, so that new inputs near the
   * boundary are not decided by a hair. Every utterance keeps at least one layer at inference
   * (see {@link #gates}), which can lift the average slightly above the target when many
   * utterances would keep none.
   *
   * @param keepProbabilities [utterances][L] sigmoid of the selector's logits at the budget
   * @param targetFraction the average kept fraction k / L
   */
  public static double calibrate(float[][] keepProbabilities, double targetFraction) {
    if (!(targetFraction > 0 && targetFraction <= 1)) {
      throw new IllegalArgumentException("target kept fraction must be in (0, 1], got " + targetFraction);
    }
    int count = 0;
    for (float[] row : keepProbabilities) {
      count += row.length;
    }
    if (count == 0) {
      throw new IllegalArgumentException("calibrating a threshold needs at least one input");
    }
    double[] sorted = new double[count];
    int n = 0;
    for (float[] row : keepProbabilities) {
      for (float p : row) {
        sorted[n++] = p;
      }
    }
    Arrays.sort(sorted);
    int keep = (int) Math.round(targetFraction * count);
    // Ascending order: the dropped values are sorted[0 .. count-keep-1], the kept ones the rest.
    double lastDropped = count - keep - 1 >= 0 ? sorted[count - keep - 1] : 0.0;
    double firstKept = keep > 0 ? sorted[count - keep] : 1.0;
    return (lastDropped + firstKept) / 2;
  }

  /**
   * The adaptive masks: layers whose keep probability exceeds the threshold, and at least the most
   * probable layer, so no utterance runs an empty stack.
   */
  public static boolean[][] gates(float[][] logits, double threshold) {
    boolean[][] masks = new boolean[logits.length][];
    for (int b = 0; b < logits.length; b++) {
      masks[b] = new boolean[logits[b].length];
      int best = 0;
      boolean any = false;
      for (int i = 0; i < logits[b].length; i++) {
        masks[b][i] = sigmoid(logits[b][i]) > threshold;
        any |= masks[b][i];
        if (logits[b][i] > logits[b][best]) {
          best = i;
        }
      }
      if (!any) {
        masks[b][best] = true;
      }
    }
    return masks;
  }

  static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }
}
