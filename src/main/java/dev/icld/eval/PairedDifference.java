package dev.icld.eval;

import dev.icld.methods.Method;
import dev.icld.methods.Methods;
import java.util.ArrayList;
import java.util.List;

/**
 * How much better an input-conditioned method is than a baseline at the same budget, with a
 * paired bootstrap interval. Both ran on the same test utterances, so resampling the utterances
 * once for both cancels what the two share (hard and easy utterances alike): the interval of the
 * difference is far narrower than the two methods' own intervals suggest, and it is the honest
 * test of "clearly above". Random layer dropping counts per utterance as its mean over draws.
 *
 * @param method a method under test (one with {@link Method#pairedAgainst()} baselines): selector
 *     or adaptive
 * @param baseline one of its baselines: random, static or early-exit
 * @param metric accuracy, wer or cer
 * @param difference the method's metric minus the baseline's
 * @param interval the 95% paired bootstrap interval of the difference {low, high}
 * @param verdict better, worse, or tie when the interval contains 0 (for WER and CER a negative
 *     difference is better)
 */
public record PairedDifference(String method, String baseline, int budget, String metric,
    double difference, double[] interval, String verdict) {
  public PairedDifference {
    interval = interval.clone();
  }

  @Override
  public double[] interval() {
    return interval.clone();
  }

  /**
   * Every method under test against each of its baselines at each budget both ran at, except the
   * full budget, where top-k selection, random and static all run every layer.
   *
   * @param methods the methods that made the results
   * @param utterances the test set's size (outcomes carry indices below it)
   * @param metrics accuracy, or wer and cer
   */
  public static List<PairedDifference> of(List<MethodResult> results, List<Method> methods,
      int utterances, List<String> metrics, int layers, int resamples, long seed) {
    List<PairedDifference> differences = new ArrayList<>();
    for (MethodResult candidate : results) {
      if (candidate.budget() == layers) {
        continue;
      }
      for (Method baselineMethod : Methods.find(methods, candidate.method()).pairedAgainst()) {
        String baselineName = baselineMethod.name();
        MethodResult baseline = results.stream().filter(r -> r.method().equals(baselineName)
            && r.budget() == candidate.budget()).findFirst().orElse(null);
        if (baseline == null) {
          continue;
        }
        for (String metric : metrics) {
          differences.add(between(candidate, baseline, utterances, metric, resamples,
              seed * 1_000_003L + 131L * candidate.method().hashCode()
                  + 17L * baselineName.hashCode() + candidate.budget()));
        }
      }
    }
    return differences;
  }

  static PairedDifference between(MethodResult method, MethodResult baseline, int utterances,
      String metric, int resamples, long seed) {
    UtteranceRatios a = UtteranceRatios.of(method.outcomes(), metric, utterances,
        method.method() + " at k = " + method.budget());
    UtteranceRatios b = UtteranceRatios.of(baseline.outcomes(), metric, utterances,
        baseline.method() + " at k = " + baseline.budget());
    double difference = a.ratio() - b.ratio();
    double[] interval = Bootstrap.pairedDifferenceInterval(a.numerators(), b.numerators(),
        a.denominators(), resamples, 0.95, seed);
    return new PairedDifference(method.method(), baseline.method(), method.budget(), metric,
        difference, interval, verdict(interval, metric.equals("accuracy")));
  }

  /** Better or worse where the paired interval of a difference excludes 0, else tie. */
  static String verdict(double[] interval, boolean higherIsBetter) {
    return interval[0] > 0 ? (higherIsBetter ? "better" : "worse")
        : interval[1] < 0 ? (higherIsBetter ? "worse" : "better") : "tie";
  }
}
