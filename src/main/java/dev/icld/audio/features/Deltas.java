package dev.icld.audio.features;

/**
 * Delta (time-derivative) features with the semantics of torchaudio 0.13.1's
 * {@code torchaudio.functional.compute_deltas} in its default "replicate" padding mode:
 * {@code d[t] = sum_{n=1..N} n * (c[t+n] - c[t-n]) / (2 * sum_{n=1..N} n^2)} with
 * {@code N = (winLength - 1) / 2}, frames before the start and after the end repeating the first
 * and last frame.
 *
 * <p>Works on the {@code float[frames][features]} layout of the extractors in this package and
 * differentiates along frames (torchaudio's last axis, time, once its (freq, time) input is
 * transposed).
 */
public final class Deltas {
  private final int winLength;
  private final int halfWidth;
  private final double denominator;

  /** torchaudio's default window of 5 frames. */
  public Deltas() {
    this(5);
  }

  public Deltas(int winLength) {
    if (winLength < 3) {
      throw new IllegalArgumentException("delta winLength must be at least 3, got " + winLength);
    }
    this.winLength = winLength;
    this.halfWidth = (winLength - 1) / 2;
    this.denominator = halfWidth * (halfWidth + 1) * (2.0 * halfWidth + 1) / 3.0;
  }

  public int winLength() {
    return winLength;
  }

  /** Deltas of {@code features}: same shape, {@code float[frames][features]}. */
  public float[][] compute(float[][] features) {
    int frames = features.length;
    float[][] deltas = new float[frames][];
    for (int t = 0; t < frames; t++) {
      int columns = features[t].length;
      if (columns != features[0].length) {
        throw new IllegalArgumentException(
            "frame " + t + " has " + columns + " features but frame 0 has " + features[0].length);
      }
      float[] row = new float[columns];
      for (int j = 0; j < columns; j++) {
        double sum = 0;
        for (int n = 1; n <= halfWidth; n++) {
          int after = Math.min(t + n, frames - 1);
          int before = Math.max(t - n, 0);
          sum += n * ((double) features[after][j] - features[before][j]);
        }
        row[j] = (float) (sum / denominator);
      }
      deltas[t] = row;
    }
    return deltas;
  }

  /**
   * The features followed by their deltas and delta-deltas on each row,
   * {@code float[frames][3 * features]}, as HuBERT's MFCC k-means recipe stacks them (13 MFCCs give
   * 39 columns).
   */
  public float[][] appendDeltas(float[][] features) {
    float[][] deltas = compute(features);
    float[][] deltaDeltas = compute(deltas);
    float[][] stacked = new float[features.length][];
    for (int t = 0; t < features.length; t++) {
      int columns = features[t].length;
      float[] row = new float[3 * columns];
      System.arraycopy(features[t], 0, row, 0, columns);
      System.arraycopy(deltas[t], 0, row, columns, columns);
      System.arraycopy(deltaDeltas[t], 0, row, 2 * columns, columns);
      stacked[t] = row;
    }
    return stacked;
  }
}
