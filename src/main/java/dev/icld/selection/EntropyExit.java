package dev.icld.selection;

import java.util.Arrays;

/**
 * The entropy-threshold dynamic exit of an early-exit model: layers run one at a time and an
 * utterance stops at the first exit whose prediction has entropy (in nats) below the threshold,
 * or after the last layer. Classification uses the entropy of the class posteriors; CTC uses the
 * mean per-frame entropy over the valid frames. A threshold of 0 never exits early.
 */
public final class EntropyExit {
  private final double threshold;
  private final int layers;

  public EntropyExit(double threshold, int layers) {
    if (!(threshold >= 0) || Double.isInfinite(threshold)) {
      throw new IllegalArgumentException("entropy threshold must be a finite value >= 0, got " + threshold);
    }
    if (layers < 1) {
      throw new IllegalArgumentException("an early-exit model needs at least one layer, got " + layers);
    }
    this.threshold = threshold;
    this.layers = layers;
  }

  public double threshold() {
    return threshold;
  }

  public int layers() {
    return layers;
  }

  public String name() {
    return "early-exit-entropy";
  }

  /** A decision for a batch of {@code batchSize} utterances, fed one exit at a time. */
  public ExitDecision start(int batchSize) {
    return new ExitDecision(this, batchSize);
  }

  /** Whether a prediction of this entropy is confident enough to stop. */
  boolean stops(double entropy) {
    return entropy < threshold;
  }

  /** Shannon entropy in nats of a probability vector (zero probabilities contribute nothing). */
  public static double entropy(float[] probabilities) {
    double h = 0;
    for (float p : probabilities) {
      if (p > 0) {
        h -= p * Math.log(p);
      }
    }
    return h;
  }

  /** The mean entropy of the first {@code validFrames} per-frame posteriors (CTC outputs). */
  public static double meanFrameEntropy(float[][] framePosteriors, int validFrames) {
    if (validFrames < 1 || validFrames > framePosteriors.length) {
      throw new IllegalArgumentException(
          "valid frames " + validFrames + " outside 1.." + framePosteriors.length);
    }
    double sum = 0;
    for (int t = 0; t < validFrames; t++) {
      sum += entropy(framePosteriors[t]);
    }
    return sum / validFrames;
  }

  /** The exit (1..L) the rule picks for one utterance given its entropy at every exit. */
  public int exitFor(double[] entropyPerExit) {
    if (entropyPerExit.length != layers) {
      throw new IllegalArgumentException(
          "need an entropy for each of " + layers + " exits, got " + entropyPerExit.length);
    }
    for (int e = 0; e < layers - 1; e++) {
      if (stops(entropyPerExit[e])) {
        return e + 1;
      }
    }
    return layers;
  }

  /**
   * The smallest threshold whose mean exit over {@code entropies} (per utterance, the entropy at
   * each of the L exits, from a full-depth run on a dev set) is at most {@code targetMeanLayers}:
   * the most accurate dynamic exit within that average budget. The mean exit only falls as the
   * threshold grows, so a binary search over the observed entropies finds it.
   */
  public static EntropyExit calibrate(double[][] entropies, double targetMeanLayers) {
    if (entropies.length == 0) {
      throw new IllegalArgumentException("calibrating an entropy threshold needs at least one utterance");
    }
    int layers = entropies[0].length;
    if (!(targetMeanLayers >= 1 && targetMeanLayers <= layers)) {
      throw new IllegalArgumentException(
          "target mean layers must be in 1.." + layers + ", got " + targetMeanLayers);
    }
    // Candidates: 0 (never stop early) and, for every observed entropy h, the next double above
    // h, the smallest threshold that stops on h.
    double[] candidates = new double[entropies.length * (layers - 1) + 1];
    int n = 1;
    for (double[] row : entropies) {
      if (row.length != layers) {
        throw new IllegalArgumentException("every utterance needs an entropy at each of " + layers
            + " exits, one has " + row.length);
      }
      for (int e = 0; e < layers - 1; e++) {
        candidates[n++] = Math.nextUp(row[e]);
      }
    }
    Arrays.sort(candidates);
    int lo = 0;
    int hi = candidates.length - 1;
    if (meanExit(candidates[hi], entropies) > targetMeanLayers) {
      // Even stopping at the first exit is not enough: the target is below 1 layer on average.
      return new EntropyExit(candidates[hi], layers);
    }
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (meanExit(candidates[mid], entropies) <= targetMeanLayers) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return new EntropyExit(candidates[lo], layers);
  }

  private static double meanExit(double threshold, double[][] entropies) {
    EntropyExit rule = new EntropyExit(threshold, entropies[0].length);
    double sum = 0;
    for (double[] row : entropies) {
      sum += rule.exitFor(row);
    }
    return sum / entropies.length;
  }
}
