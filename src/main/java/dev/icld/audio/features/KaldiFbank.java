package dev.icld.audio.features;

import dev.icld.audio.Audio;

import java.util.Random;

/**
 * Kaldi filterbank features with the semantics of torchaudio 0.13.1's
 * {@code torchaudio.compliance.kaldi.fbank} (Kaldi's compute-fbank-feats).
 *
 * <p>Output layout: {@code float[frames][numFeatures()]}, one row per 10 ms frame (by default).
 * With {@code useEnergy} the log energy is column 0, or the last column with {@code htkCompat};
 * the mel bins follow in increasing frequency. Samples are used as given: torchaudio applies no
 * scaling, so [-1, 1] floats give the features HuBERT's recipe computes from soundfile reads.
 *
 * <p>Immutable and thread-safe; window, filters and FFT plan are built once per instance, so
 * reuse one instance for many signals.
 */
public final class KaldiFbank {
  private final KaldiFbankOptions options;
  private final KaldiFrameExtractor frames;
  private final KaldiMelBanks melBanks;
  private final RealFft fft;

  public KaldiFbank(KaldiFbankOptions options) {
    this.options = options;
    this.frames = new KaldiFrameExtractor(options);
    int fftSize = frames.geometry().paddedWindowSize();
    this.melBanks =
        new KaldiMelBanks(
            options.numMelBins(), fftSize, options.sampleFrequency(), options.lowFreq(), options.highFreq());
    this.fft = new RealFft(fftSize);
  }

  public KaldiFbankOptions options() {
    return options;
  }

  /**
   * The mel filters' weights in all (each filter stores only its triangle, not the whole
   * spectrum): one multiply-add each per frame.
   */
  public int melWeightCount() {
    return melBanks.weightCount();
  }

  /** Columns of the output: the mel bins, plus one for the energy with {@code useEnergy}. */
  public int numFeatures() {
    return options.numMelBins() + (options.useEnergy() ? 1 : 0);
  }

  /**
   * @return {@code float[frames][numFeatures()]}; no rows when the signal is shorter than
   *     {@code minDuration}
   * @throws IllegalArgumentException when {@code audio} is not at {@code sampleFrequency}, is
   *     shorter than one frame, or holds a NaN or infinite sample
   */
  public float[][] compute(Audio audio) {
    requireSampleRate(audio, options.sampleFrequency());
    return compute(audio.samples());
  }

  /** Features of samples at {@code sampleFrequency}; see {@link #compute(Audio)}. */
  public float[][] compute(float[] samples) {
    return FeatureMatrices.toFloat(computeDouble(samples));
  }

  /** Full-precision features, for {@link KaldiMfcc} to transform further before rounding. */
  double[][] computeDouble(float[] samples) {
    int numFrames = frames.numFrames(samples);
    if (numFrames < 0) {
      return new double[0][];
    }
    int numMelBins = options.numMelBins();
    int melOffset = options.useEnergy() && !options.htkCompat() ? 1 : 0;
    int energyColumn = options.htkCompat() ? numMelBins : 0;
    double[] frame = new double[fft.size()];
    double[] spectrum = new double[fft.numBins()];
    double[] mel = new double[numMelBins];
    Random dither = frames.newDitherSource();
    double[][] features = new double[numFrames][numFeatures()];
    for (int t = 0; t < numFrames; t++) {
      double logEnergy = frames.extract(samples, t, frame, dither);
      fft.powerSpectrum(frame, spectrum);
      if (!options.usePower()) {
        for (int k = 0; k < spectrum.length; k++) {
          spectrum[k] = Math.sqrt(spectrum[k]);
        }
      }
      melBanks.apply(spectrum, mel);
      double[] row = features[t];
      for (int m = 0; m < numMelBins; m++) {
        row[melOffset + m] =
            options.useLogFbank() ? Math.log(Math.max(mel[m], KaldiFrameExtractor.FLOAT_EPSILON)) : mel[m];
      }
      if (options.useEnergy()) {
        row[energyColumn] = logEnergy;
      }
    }
    if (options.subtractMean()) {
      FeatureMatrices.subtractColumnMeans(features);
    }
    return features;
  }

  static void requireSampleRate(Audio audio, double expectedHz) {
    if (audio.sampleRate() != expectedHz) {
      throw new IllegalArgumentException(
          "audio is at " + audio.sampleRate() + " Hz but the feature options expect " + expectedHz
              + " Hz: resample it first or change the sample rate option");
    }
  }
}
