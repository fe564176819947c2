package dev.icld.audio.features;

/** Small helpers on {@code [frames][features]} matrices shared by the feature extractors. */
final class FeatureMatrices {
  private FeatureMatrices() {}

  static float[][] toFloat(double[][] matrix) {
    float[][] out = new float[matrix.length][];
    for (int t = 0; t < matrix.length; t++) {
      double[] row = matrix[t];
      float[] converted = new float[row.length];
      for (int j = 0; j < row.length; j++) {
        converted[j] = (float) row[j];
      }
      out[t] = converted;
    }
    return out;
  }

  /** Kaldi's per-utterance cepstral mean subtraction: each column minus its mean over frames. */
  static void subtractColumnMeans(double[][] matrix) {
    if (matrix.length == 0) {
      return;
    }
    int columns = matrix[0].length;
    double[] means = new double[columns];
    for (double[] row : matrix) {
      for (int j = 0; j < columns; j++) {
        means[j] += row[j];
      }
    }
    for (int j = 0; j < columns; j++) {
      means[j] /= matrix.length;
    }
    for (double[] row : matrix) {
      for (int j = 0; j < columns; j++) {
        row[j] -= means[j];
      }
    }
  }
}
