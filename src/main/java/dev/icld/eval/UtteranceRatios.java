package dev.icld.eval;

import dev.icld.metrics.Outcome;
import java.util.List;

/**
 * A ratio metric per test utterance, the unit a bootstrap resamples: correct (1 or 0) over 1 for
 * accuracy, edits over reference length for WER and CER. With several outcomes per utterance
 * (random layer dropping's draws) the numerator is their mean.
 */
record UtteranceRatios(double[] numerators, double[] denominators) {

  /**
   * @param metric accuracy, wer or cer
   * @param utterances the test set's size (outcomes carry indices below it)
   * @param source what produced the outcomes, for the error
   * @throws IllegalArgumentException when an utterance has no outcome
   */
  static UtteranceRatios of(List<Outcome> outcomes, String metric, int utterances,
      String source) {
    int[] counts = new int[utterances];
    outcomes.forEach(o -> counts[o.utterance()]++);
    for (int u = 0; u < utterances; u++) {
      if (counts[u] == 0) {
        throw new IllegalArgumentException(source + " has no outcome for test utterance " + u);
      }
    }
    double[] numerators = new double[utterances];
    double[] denominators = new double[utterances];
    for (Outcome o : outcomes) {
      int u = o.utterance();
      switch (metric) {
        case "accuracy" -> {
          numerators[u] += (o.correct() ? 1.0 : 0.0) / counts[u];
          denominators[u] = 1;
        }
        case "wer" -> {
          numerators[u] += o.words().edits() / (double) counts[u];
          denominators[u] = o.words().referenceLength();
        }
        case "cer" -> {
          numerators[u] += o.characters().edits() / (double) counts[u];
          denominators[u] = o.characters().referenceLength();
        }
        default -> throw new IllegalArgumentException("unknown metric " + metric);
      }
    }
    return new UtteranceRatios(numerators, denominators);
  }

  /** The metric over the whole set: sum of numerators over sum of denominators. */
  double ratio() {
    double num = 0;
    double den = 0;
    for (int i = 0; i < numerators.length; i++) {
      num += numerators[i];
      den += denominators[i];
    }
    return den == 0 ? 0 : num / den;
  }
}
