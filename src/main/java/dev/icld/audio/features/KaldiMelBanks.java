package dev.icld.audio.features;

import java.util.Arrays;

/**
 * Kaldi's triangular mel filters: equally spaced on the mel scale 1127 ln(1 + f / 700) between
 * lowFreq and highFreq, each rising from its left neighbour's centre to its own and falling to its
 * right neighbour's, weighting the FFT bins below Nyquist (the Nyquist bin gets weight zero).
 * Stored sparsely: each filter keeps only its run of non-zero weights.
 */
final class KaldiMelBanks {
  private final int[] firstBin;
  private final double[][] weights;

  KaldiMelBanks(int numBins, int paddedWindowSize, double sampleFrequency, double lowFreq, double highFreq) {
    double resolvedHighFreq = checkRange(lowFreq, highFreq, sampleFrequency);
    int numFftBins = paddedWindowSize / 2;
    // torchaudio builds these filters in float32; its rounding of the triangle edges moves log
    // energies by up to ~1e-4, so the weights are computed with the same float32 operations.
    float fftBinWidth = (float) (sampleFrequency / paddedWindowSize);
    float melLow = (float) mel(lowFreq);
    // numBins + 1 intervals: the outer filters reach out to the range ends.
    float melDelta = (float) ((mel(resolvedHighFreq) - mel(lowFreq)) / (numBins + 1));
    float[] binMel = new float[numFftBins];
    for (int k = 0; k < numFftBins; k++) {
      binMel[k] = 1127.0f * (float) Math.log(1.0f + fftBinWidth * k / 700.0f);
    }
    this.firstBin = new int[numBins];
    this.weights = new double[numBins][];
    for (int m = 0; m < numBins; m++) {
      float left = melLow + m * melDelta;
      float center = melLow + (m + 1.0f) * melDelta;
      float right = melLow + (m + 2.0f) * melDelta;
      int first = -1;
      int last = -1;
      double[] row = new double[numFftBins];
      for (int k = 0; k < numFftBins; k++) {
        float up = (binMel[k] - left) / (center - left);
        float down = (right - binMel[k]) / (right - center);
        row[k] = Math.max(0.0f, Math.min(up, down));
        if (row[k] > 0) {
          first = first < 0 ? k : first;
          last = k;
        }
      }
      if (first < 0) {
        throw new IllegalArgumentException(
            "numMelBins=" + numBins + " is too many for a " + paddedWindowSize + "-point FFT at "
                + sampleFrequency + " Hz between " + lowFreq + " and " + resolvedHighFreq + " Hz: mel bin " + m
                + " covers no FFT bin (Kaldi rejects this too); use fewer mel bins or longer frames");
      }
      firstBin[m] = first;
      weights[m] = Arrays.copyOfRange(row, first, last + 1);
    }
  }

  /**
   * Checks Kaldi's mel range and returns the effective upper edge: a highFreq of zero or below is an
   * offset from the Nyquist frequency.
   */
  static double checkRange(double lowFreq, double highFreq, double sampleFrequency) {
    double nyquist = 0.5 * sampleFrequency;
    double resolved = highFreq <= 0.0 ? highFreq + nyquist : highFreq;
    if (!(lowFreq >= 0.0 && lowFreq < nyquist && resolved > 0.0 && resolved <= nyquist && lowFreq < resolved)) {
      throw new IllegalArgumentException(
          "bad mel range: lowFreq=" + lowFreq + " Hz, highFreq=" + highFreq + " Hz (" + resolved
              + " Hz after the offset from Nyquist) at Nyquist " + nyquist
              + " Hz; need 0 <= lowFreq < highFreq <= Nyquist");
    }
    return resolved;
  }

  static double mel(double hz) {
    return 1127.0 * Math.log(1.0 + hz / 700.0);
  }

  /** Filter energies: {@code out[m] = sum_k weight[m][k] * spectrum[k]}. */
  /** The filters' weights in all: {@link #apply} multiplies and adds each once per frame. */
  int weightCount() {
    int count = 0;
    for (double[] w : weights) {
      count += w.length;
    }
    return count;
  }

  void apply(double[] spectrum, double[] out) {
    for (int m = 0; m < weights.length; m++) {
      double[] w = weights[m];
      int offset = firstBin[m];
      double sum = 0;
      for (int k = 0; k < w.length; k++) {
        sum += w[k] * spectrum[offset + k];
      }
      out[m] = sum;
    }
  }
}
