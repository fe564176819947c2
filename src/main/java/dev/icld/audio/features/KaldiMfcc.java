package dev.icld.audio.features;

import dev.icld.audio.Audio;

/**
 * MFCCs with the semantics of torchaudio 0.13.1's {@code torchaudio.compliance.kaldi.mfcc}
 * (Kaldi's compute-mfcc-feats): log mel energies, Kaldi's DCT (an orthonormal DCT-II whose C0
 * weights every bin by sqrt(1 / numMelBins)), sinusoidal liftering.
 *
 * <p>Output layout: {@code float[frames][numCeps]}, C0 first. With {@code useEnergy} C0 is replaced
 * by the frame's log energy. With {@code htkCompat} C0 (or the energy) moves to the last column,
 * C0 scaled by sqrt(2). HuBERT's k-means targets use the defaults ({@code useEnergy=false}) at
 * 16 kHz on [-1, 1] samples, followed by {@link Deltas#appendDeltas}.
 *
 * <p>Immutable and thread-safe; reuse one instance for many signals.
 */
public final class KaldiMfcc {
  private final KaldiMfccOptions options;
  private final KaldiFbank fbank;
  /** [numCeps][numMelBins], with the lifter folded in. */
  private final double[][] liftedDct;

  public KaldiMfcc(KaldiMfccOptions options) {
    this.options = options;
    this.fbank = new KaldiFbank(options.toFbankOptions());
    this.liftedDct = liftedDct(options.numCeps(), options.numMelBins(), options.cepstralLifter());
  }

  public KaldiMfccOptions options() {
    return options;
  }

  public int numFeatures() {
    return options.numCeps();
  }

  /**
   * @return {@code float[frames][numCeps]}; no rows when the signal is shorter than {@code minDuration}
   * @throws IllegalArgumentException when {@code audio} is not at {@code sampleFrequency}, is shorter
   *     than one frame, or holds a NaN or infinite sample
   */
  public float[][] compute(Audio audio) {
    KaldiFbank.requireSampleRate(audio, options.sampleFrequency());
    return compute(audio.samples());
  }

  /** MFCCs of samples at {@code sampleFrequency}; see {@link #compute(Audio)}. */
  public float[][] compute(float[] samples) {
    double[][] filterbank = fbank.computeDouble(samples);
    int numMelBins = options.numMelBins();
    int numCeps = options.numCeps();
    int melOffset = options.useEnergy() && !options.htkCompat() ? 1 : 0;
    int energyColumn = options.htkCompat() ? numMelBins : 0;
    double[][] cepstra = new double[filterbank.length][numCeps];
    for (int t = 0; t < filterbank.length; t++) {
      double[] logMel = filterbank[t];
      double[] row = cepstra[t];
      for (int c = 0; c < numCeps; c++) {
        double[] basis = liftedDct[c];
        double sum = 0;
        for (int m = 0; m < numMelBins; m++) {
          sum += basis[m] * logMel[melOffset + m];
        }
        row[c] = sum;
      }
      if (options.useEnergy()) {
        row[0] = logMel[energyColumn];
      }
      if (options.htkCompat()) {
        moveFirstToLast(row, options.useEnergy() ? 1.0 : Math.sqrt(2.0));
      }
    }
    if (options.subtractMean()) {
      FeatureMatrices.subtractColumnMeans(cepstra);
    }
    return FeatureMatrices.toFloat(cepstra);
  }

  /** HTK order puts C0 (or energy) last; a plain C0 loses the orthonormal DCT's 1/sqrt(2) there. */
  private static void moveFirstToLast(double[] row, double scale) {
    double first = row[0];
    System.arraycopy(row, 1, row, 0, row.length - 1);
    row[row.length - 1] = first * scale;
  }

  private static double[][] liftedDct(int numCeps, int numMelBins, double cepstralLifter) {
    double[][] dct = new double[numCeps][numMelBins];
    double scale = Math.sqrt(2.0 / numMelBins);
    for (int c = 0; c < numCeps; c++) {
      double lifter = cepstralLifter == 0.0 ? 1.0 : 1.0 + 0.5 * cepstralLifter * Math.sin(Math.PI * c / cepstralLifter);
      for (int m = 0; m < numMelBins; m++) {
        double basis = c == 0 ? Math.sqrt(1.0 / numMelBins) : scale * Math.cos(Math.PI / numMelBins * (m + 0.5) * c);
        dct[c][m] = basis * lifter;
      }
    }
    return dct;
  }
}
