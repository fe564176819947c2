package dev.icld.audio.features;

import java.util.Arrays;

/**
 * Triangular mel filters with the semantics of torchaudio 0.13.1's
 * {@code torchaudio.functional.melscale_fbanks}: {@code nMels} triangles whose corners are
 * {@code nMels + 2} points equally spaced on the chosen mel scale from {@code fMin} to {@code fMax},
 * evaluated at {@code nFreqs} frequencies equally spaced from 0 to {@code sampleRate / 2} (integer
 * division, as torchaudio). Immutable; weights are stored sparsely, only each filter's non-zero run.
 */
public final class MelFilterBank {
  private final int numFreqs;
  private final int[] firstFreq;
  private final double[][] weights;

  /**
   * @throws IllegalArgumentException when {@code nMels} exceeds {@code nFreqs} (most filters would be
   *     empty), or the frequency range is empty or negative
   */
  public MelFilterBank(
      int nFreqs, double fMin, double fMax, int nMels, int sampleRate, MelNorm norm, MelScaleType melScale) {
    if (nFreqs < 2) {
      throw new IllegalArgumentException("a mel filter bank needs at least 2 frequency bins, got " + nFreqs);
    }
    if (nMels < 1 || nMels > nFreqs) {
      throw new IllegalArgumentException(
          "nMels=" + nMels + " must be between 1 and the " + nFreqs
              + " frequency bins of the spectrum: more filters than bins leaves most of them empty");
    }
    if (!(fMin >= 0.0 && fMin < fMax)) {
      throw new IllegalArgumentException("need 0 <= fMin < fMax, got fMin=" + fMin + " Hz, fMax=" + fMax + " Hz");
    }
    if (sampleRate <= 0) {
      throw new IllegalArgumentException("sample rate must be positive, got " + sampleRate);
    }
    this.numFreqs = nFreqs;
    // Computed in double. torchaudio computes in float32 with CPU-dependent (vectorised) rounding
    // of the corner frequencies, which moves its own outputs by up to ~1e-4 in narrow filters.
    double[] freqs = linspace(0.0, sampleRate / 2, nFreqs);
    double[] corners = linspace(melScale.hzToMel(fMin), melScale.hzToMel(fMax), nMels + 2);
    for (int i = 0; i < corners.length; i++) {
      corners[i] = melScale.melToHz(corners[i]);
    }
    this.firstFreq = new int[nMels];
    this.weights = new double[nMels][];
    for (int m = 0; m < nMels; m++) {
      double left = corners[m];
      double center = corners[m + 1];
      double right = corners[m + 2];
      double scale = norm == MelNorm.SLANEY ? 2.0 / (right - left) : 1.0;
      int first = -1;
      int last = -1;
      double[] row = new double[nFreqs];
      for (int k = 0; k < nFreqs; k++) {
        double rising = (freqs[k] - left) / (center - left);
        double falling = (right - freqs[k]) / (right - center);
        row[k] = Math.max(0.0, Math.min(rising, falling)) * scale;
        if (row[k] > 0) {
          first = first < 0 ? k : first;
          last = k;
        }
      }
      // A filter narrower than the bin spacing can miss every bin; torchaudio keeps it (all zeros).
      firstFreq[m] = Math.max(first, 0);
      weights[m] = first < 0 ? new double[0] : Arrays.copyOfRange(row, first, last + 1);
    }
  }

  private static double[] linspace(double start, double end, int steps) {
    double[] values = new double[steps];
    for (int i = 0; i < steps; i++) {
      values[i] = start + (end - start) * i / (steps - 1);
    }
    return values;
  }

  public int numFreqs() {
    return numFreqs;
  }

  public int numMels() {
    return weights.length;
  }

  /** {@code out[m] = sum_k filter[m][k] * spectrum[k]} for a spectrum of {@code nFreqs} bins. */
  public void apply(double[] spectrum, double[] out) {
    for (int m = 0; m < weights.length; m++) {
      double[] w = weights[m];
      int offset = firstFreq[m];
      double sum = 0;
      for (int k = 0; k < w.length; k++) {
        sum += w[k] * spectrum[offset + k];
      }
      out[m] = sum;
    }
  }
}
