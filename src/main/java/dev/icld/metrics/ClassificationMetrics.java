package dev.icld.metrics;

/** Accuracy and macro-averaged F1 of class predictions. */
public final class ClassificationMetrics {
  private ClassificationMetrics() {}

  public static double accuracy(int[] labels, int[] predictions) {
    check(labels, predictions);
    int correct = 0;
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] == predictions[i]) {
        correct++;
      }
    }
    return correct / (double) labels.length;
  }

  /**
   * Unweighted mean over classes of F1 = 2PR/(P+R). Only classes that occur in the labels or the
   * predictions count; a class with no true positives scores 0, as in scikit-learn.
   */
  public static double macroF1(int[] labels, int[] predictions, int classes) {
    check(labels, predictions);
    long[] truePositive = new long[classes];
    long[] predicted = new long[classes];
    long[] actual = new long[classes];
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classes || predictions[i] < 0
          || predictions[i] >= classes) {
        throw new IllegalArgumentException(
            "item " + i + ": class outside 0.." + (classes - 1) + " (label " + labels[i]
                + ", prediction " + predictions[i] + ")");
      }
      actual[labels[i]]++;
      predicted[predictions[i]]++;
      if (labels[i] == predictions[i]) {
        truePositive[labels[i]]++;
      }
    }
    double sum = 0;
    int present = 0;
    for (int c = 0; c < classes; c++) {
      if (actual[c] == 0 && predicted[c] == 0) {
        continue;
      }
      present++;
      sum += 2.0 * truePositive[c] / (actual[c] + predicted[c]);
    }
    return present == 0 ? 0 : sum / present;
  }

  private static void check(int[] labels, int[] predictions) {
    if (labels.length != predictions.length || labels.length == 0) {
      throw new IllegalArgumentException(
          "need as many predictions as labels, at least one: got " + labels.length + " labels and "
              + predictions.length + " predictions");
    }
  }
}
