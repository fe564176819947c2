package dev.icld.eval;

import java.util.Arrays;
import java.util.Random;

/**
 * Percentile bootstrap intervals for a ratio statistic over utterances, sum(numerator) /
 * sum(denominator): accuracy (correct over 1 per utterance) and corpus error rates (edits over
 * reference length). Utterances are resampled with replacement from a seeded generator, so the
 * same seed gives the same interval.
 */
public final class Bootstrap {
  public static final int DEFAULT_RESAMPLES = 1000;

  private Bootstrap() {}

  /**
   * @param numerators per utterance
   * @param denominators per utterance, same length
   * @param level the interval's coverage, e.g. 0.95
   * @return {low, high}
   */
  public static double[] interval(double[] numerators, double[] denominators, int resamples,
      double level, long seed) {
    if (numerators.length != denominators.length || numerators.length == 0) {
      throw new IllegalArgumentException("need one numerator and one denominator per utterance, got "
          + numerators.length + " and " + denominators.length);
    }
    checkResampling(resamples, level);
    Random random = new Random(seed);
    double[] statistics = new double[resamples];
    for (int r = 0; r < resamples; r++) {
      statistics[r] = resampledRatio(numerators, denominators, random);
    }
    return percentileInterval(statistics, level);
  }

  /**
   * The interval of sum(a) / sum(d) - sum(b) / sum(d), two methods' ratios over the same
   * utterances, resampling each utterance for both at once (a paired bootstrap).
   *
   * @param a the first method's numerators per utterance
   * @param b the second method's, same length
   * @param denominators per utterance, shared (1 for accuracy, reference lengths for error rates)
   * @return {low, high}
   */
  public static double[] pairedDifferenceInterval(double[] a, double[] b, double[] denominators,
      int resamples, double level, long seed) {
    if (a.length != b.length || a.length != denominators.length || a.length == 0) {
      throw new IllegalArgumentException("need both numerators and a denominator per utterance, "
          + "got " + a.length + ", " + b.length + " and " + denominators.length);
    }
    double[] differences = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      differences[i] = a[i] - b[i];
    }
    return interval(differences, denominators, resamples, level, seed);
  }

  /**
   * The interval of ratio(a) - ratio(b) for two disjoint sets of utterances (an unpaired
   * bootstrap): each resample draws each set with replacement, independently and at its own size.
   *
   * @return {low, high}
   */
  public static double[] unpairedDifferenceInterval(double[] aNumerators, double[] aDenominators,
      double[] bNumerators, double[] bDenominators, int resamples, double level, long seed) {
    if (aNumerators.length != aDenominators.length || aNumerators.length == 0
        || bNumerators.length != bDenominators.length || bNumerators.length == 0) {
      throw new IllegalArgumentException("need one numerator and one denominator per utterance "
          + "in both sets, got " + aNumerators.length + "/" + aDenominators.length + " and "
          + bNumerators.length + "/" + bDenominators.length);
    }
    checkResampling(resamples, level);
    Random random = new Random(seed);
    double[] statistics = new double[resamples];
    for (int r = 0; r < resamples; r++) {
      statistics[r] = resampledRatio(aNumerators, aDenominators, random)
          - resampledRatio(bNumerators, bDenominators, random);
    }
    return percentileInterval(statistics, level);
  }

  private static double resampledRatio(double[] numerators, double[] denominators,
      Random random) {
    int n = numerators.length;
    double num = 0;
    double den = 0;
    for (int i = 0; i < n; i++) {
      int pick = random.nextInt(n);
      num += numerators[pick];
      den += denominators[pick];
    }
    return den == 0 ? (num == 0 ? 0 : Double.POSITIVE_INFINITY) : num / den;
  }

  /** Linear interpolation between the closest ranks of a sorted array. */
  static double percentile(double[] sorted, double q) {
    double position = q * (sorted.length - 1);
    int below = (int) Math.floor(position);
    int above = Math.min(sorted.length - 1, below + 1);
    double weight = position - below;
    return sorted[below] * (1 - weight) + sorted[above] * weight;
  }

  private static void checkResampling(int resamples, double level) {
    if (resamples < 1 || !(level > 0 && level < 1)) {
      throw new IllegalArgumentException("need resamples >= 1 and a level in (0, 1), got "
          + resamples + " and " + level);
    }
  }

  /** The central {@code level} share of the resampled statistics (sorted in place). */
  private static double[] percentileInterval(double[] statistics, double level) {
    Arrays.sort(statistics);
    double tail = (1 - level) / 2;
    return new double[] {percentile(statistics, tail), percentile(statistics, 1 - tail)};
  }
}
