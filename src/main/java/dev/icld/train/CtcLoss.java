package dev.icld.train;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Connectionist temporal classification loss with its gradient, computed in Java because
 * neither DJL nor its PyTorch JNI exposes {@code ctc_loss}. Semantics follow
 * {@code torch.nn.functional.ctc_loss}: log-space forward-backward over the blank-extended
 * target, {@code mean} reduction divides each utterance's loss by its target length (at least 1)
 * and averages over the batch, and {@code zeroInfinity} turns impossible alignments (input too
 * short for the target) into zero loss and zero gradient.
 *
 * <p>The gradient is taken with respect to the logits that the log-probabilities came from by
 * log-softmax; to train through autograd, call {@code backward} on {@code sum(logProbs * grad)},
 * whose gradient through log-softmax is exactly {@code grad} because every row of {@code grad}
 * sums to zero.
 */
public final class CtcLoss {
  /** How per-utterance losses combine into the returned loss. */
  public enum Reduction {
    /** No combination: {@link Result#loss()} is their sum, the gradient is that of the sum. */
    NONE,
    SUM,
    MEAN
  }

  /**
   * @param perUtterance negative log-likelihood of each utterance (0 where zeroInfinity removed an
   *     impossible alignment, +infinity where it did not; such an utterance adds no gradient)
   * @param loss the reduced loss
   * @param logitGradient d(loss)/d(logits), [batch, frames, classes] row-major; zero on padded
   *     frames
   */
  public record Result(double[] perUtterance, double loss, float[] logitGradient) {}

  private final int blank;
  private final boolean zeroInfinity;
  private final Reduction reduction;

  public CtcLoss(int blank, boolean zeroInfinity, Reduction reduction) {
    this.blank = blank;
    this.zeroInfinity = zeroInfinity;
    this.reduction = reduction;
  }

  /**
   * @param logProbs log-softmax outputs, [batch, frames, classes] row-major
   * @param inputLengths valid frames per utterance
   * @param targets label indices per utterance, without blanks
   */
  public Result compute(
      float[] logProbs, int batch, int frames, int classes, int[] inputLengths, int[][] targets) {
    if (logProbs.length != batch * frames * classes) {
      throw new IllegalArgumentException(
          "logProbs has " + logProbs.length + " values, expected " + batch + "x" + frames + "x"
              + classes);
    }
    if (inputLengths.length != batch || targets.length != batch) {
      throw new IllegalArgumentException(
          "batch of " + batch + " needs as many input lengths and targets, got "
              + inputLengths.length + " and " + targets.length);
    }
    double[] losses = new double[batch];
    float[] grad = new float[logProbs.length];
    IntStream.range(0, batch)
        .parallel()
        .forEach(b -> losses[b] = utterance(logProbs, b, frames, classes, inputLengths[b],
            targets[b], grad));

    double[] scale = new double[batch];
    double loss = 0;
    for (int b = 0; b < batch; b++) {
      scale[b] =
          reduction == Reduction.MEAN ? 1.0 / (Math.max(targets[b].length, 1) * (double) batch) : 1;
      loss += losses[b] * scale[b];
    }
    for (int b = 0; b < batch; b++) {
      if (scale[b] != 1) {
        int from = b * frames * classes;
        for (int i = from; i < from + frames * classes; i++) {
          grad[i] *= (float) scale[b];
        }
      }
    }
    return new Result(losses, loss, grad);
  }

  /** Loss of one utterance; writes its unscaled gradient into {@code grad}. */
  private double utterance(
      float[] logProbs, int b, int frames, int classes, int length, int[] target, float[] grad) {
    if (length < 0 || length > frames) {
      throw new IllegalArgumentException(
          "utterance " + b + ": input length " + length + " outside 0.." + frames);
    }
    for (int label : target) {
      if (label < 0 || label >= classes || label == blank) {
        throw new IllegalArgumentException(
            "utterance " + b + ": target label " + label + " is the blank or outside 0.."
                + (classes - 1));
      }
    }
    int states = 2 * target.length + 1;
    int[] ext = new int[states];
    Arrays.fill(ext, blank);
    for (int u = 0; u < target.length; u++) {
      ext[2 * u + 1] = target[u];
    }
    if (length == 0) {
      return target.length == 0 || zeroInfinity ? 0 : Double.POSITIVE_INFINITY;
    }
    int base = b * frames * classes;
    double[][] alpha = new double[length][states];
    double[][] beta = new double[length][states];
    for (int t = 0; t < length; t++) {
      Arrays.fill(alpha[t], Double.NEGATIVE_INFINITY);
      Arrays.fill(beta[t], Double.NEGATIVE_INFINITY);
    }

    alpha[0][0] = logProbs[base + ext[0]];
    if (states > 1) {
      alpha[0][1] = logProbs[base + ext[1]];
    }
    for (int t = 1; t < length; t++) {
      int row = base + t * classes;
      for (int s = 0; s < states; s++) {
        double a = alpha[t - 1][s];
        if (s >= 1) {
          a = logAdd(a, alpha[t - 1][s - 1]);
        }
        if (canSkip(ext, s)) {
          a = logAdd(a, alpha[t - 1][s - 2]);
        }
        alpha[t][s] = a + logProbs[row + ext[s]];
      }
    }
    int last = length - 1;
    double logLikelihood = alpha[last][states - 1];
    if (states > 1) {
      logLikelihood = logAdd(logLikelihood, alpha[last][states - 2]);
    }
    if (logLikelihood == Double.NEGATIVE_INFINITY) {
      return zeroInfinity ? 0 : Double.POSITIVE_INFINITY;
    }

    int lastRow = base + last * classes;
    beta[last][states - 1] = logProbs[lastRow + ext[states - 1]];
    if (states > 1) {
      beta[last][states - 2] = logProbs[lastRow + ext[states - 2]];
    }
    for (int t = last - 1; t >= 0; t--) {
      int row = base + t * classes;
      for (int s = 0; s < states; s++) {
        double v = beta[t + 1][s];
        if (s + 1 < states) {
          v = logAdd(v, beta[t + 1][s + 1]);
        }
        if (s + 2 < states && canSkip(ext, s + 2)) {
          v = logAdd(v, beta[t + 1][s + 2]);
        }
        beta[t][s] = v + logProbs[row + ext[s]];
      }
    }

    double nll = -logLikelihood;
    double[] occupancy = new double[classes];
    for (int t = 0; t < length; t++) {
      Arrays.fill(occupancy, Double.NEGATIVE_INFINITY);
      for (int s = 0; s < states; s++) {
        occupancy[ext[s]] = logAdd(occupancy[ext[s]], alpha[t][s] + beta[t][s]);
      }
      int row = base + t * classes;
      for (int c = 0; c < classes; c++) {
        double lp = logProbs[row + c];
        // Both alpha and beta include the emission at t, hence the single "- lp".
        grad[row + c] = (float) (Math.exp(lp) - Math.exp(occupancy[c] + nll - lp));
      }
    }
    return nll;
  }

  /** A transition may skip state s-1 when s-1 is a blank between two different labels. */
  private static boolean canSkip(int[] ext, int s) {
    return s >= 2 && ext[s] != ext[s - 2];
  }

  private static double logAdd(double a, double b) {
    if (a == Double.NEGATIVE_INFINITY) {
      return b;
    }
    if (b == Double.NEGATIVE_INFINITY) {
      return a;
    }
    double max = Math.max(a, b);
    return max + Math.log1p(Math.exp(-Math.abs(a - b)));
  }
}
