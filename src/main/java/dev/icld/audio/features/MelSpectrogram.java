package dev.icld.audio.features;

import dev.icld.audio.Audio;

/**
 * Mel spectrogram with the semantics of torchaudio 0.13.1's
 * {@code torchaudio.transforms.MelSpectrogram}: optional zero padding, centring by reflection,
 * periodic Hann window of winLength centred in an nFft-point frame, one-sided |STFT|^power
 * (optionally divided by the window's L2 norm first), then {@link MelFilterBank}.
 *
 * <p>Output layout: {@code float[frames][nMels]}, frames in time order, mel bins in increasing
 * frequency; this is torchaudio's {@code (n_mels, time)} output transposed. Values are linear
 * (power or magnitude); use {@link AmplitudeToDb} or {@link LogFloor} for log features.
 *
 * <p>Immutable and thread-safe; window, filters and FFT plan are built once per instance.
 */
public final class MelSpectrogram {
  private final MelSpectrogramOptions options;
  private final double[] window;
  private final double windowEnergy;
  private final MelFilterBank filterBank;
  private final RealFft fft;

  public MelSpectrogram(MelSpectrogramOptions options) {
    this.options = options;
    this.window = new double[options.nFft()];
    int offset = (options.nFft() - options.winLength()) / 2;
    double energy = 0;
    for (int i = 0; i < options.winLength(); i++) {
      double w = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / options.winLength());
      window[offset + i] = w;
      energy += w * w;
    }
    this.windowEnergy = energy;
    this.filterBank =
        new MelFilterBank(
            options.numFreqs(),
            options.fMin(),
            options.fMax(),
            options.nMels(),
            options.sampleRate(),
            options.norm(),
            options.melScale());
    this.fft = new RealFft(options.nFft());
  }

  public MelSpectrogramOptions options() {
    return options;
  }

  /**
   * @return {@code float[frames][nMels]}
   * @throws IllegalArgumentException when {@code audio} is not at {@code sampleRate}, is too short
   *     (see {@link #compute(float[])}), or holds a NaN or infinite sample
   */
  public float[][] compute(Audio audio) {
    if (audio.sampleRate() != options.sampleRate()) {
      throw new IllegalArgumentException(
          "audio is at " + audio.sampleRate() + " Hz but the mel spectrogram expects " + options.sampleRate()
              + " Hz: resample it first or change sampleRate");
    }
    return compute(audio.samples());
  }

  /**
   * Mel spectrogram of samples at {@code sampleRate}. Like torchaudio, a centred signal (after
   * {@code pad}) must be longer than nFft / 2 samples, and an uncentred one at least nFft long.
   */
  public float[][] compute(float[] samples) {
    SignalChecks.requireFinite(samples);
    double[] signal = paddedSignal(samples);
    int nFft = options.nFft();
    int numFrames = 1 + (signal.length - nFft) / options.hopLength();
    double[] frame = new double[nFft];
    double[] spectrum = new double[fft.numBins()];
    double[] mel = new double[filterBank.numMels()];
    double normalization = options.normalized() ? 1.0 / windowEnergy : 1.0;
    double halfPower = options.power() / 2.0;
    float[][] out = new float[numFrames][filterBank.numMels()];
    for (int t = 0; t < numFrames; t++) {
      int start = t * options.hopLength();
      for (int i = 0; i < nFft; i++) {
        frame[i] = signal[start + i] * window[i];
      }
      fft.powerSpectrum(frame, spectrum);
      for (int k = 0; k < spectrum.length; k++) {
        double power = spectrum[k] * normalization;
        spectrum[k] = halfPower == 1.0 ? power : Math.pow(power, halfPower);
      }
      filterBank.apply(spectrum, mel);
      for (int m = 0; m < mel.length; m++) {
        out[t][m] = (float) mel[m];
      }
    }
    return out;
  }

  /** The samples with {@code pad} zeros on each side and, when centring, nFft / 2 reflected samples. */
  private double[] paddedSignal(float[] samples) {
    int pad = options.pad();
    int length = samples.length + 2 * pad;
    int nFft = options.nFft();
    int reflected = options.center() ? nFft / 2 : 0;
    if (options.center() && reflected >= length) {
      throw new IllegalArgumentException(
          "signal of " + samples.length + " samples (" + length + " after padding) is too short to centre "
              + nFft + "-point frames: it needs more than " + reflected + " samples");
    }
    if (!options.center() && length < nFft) {
      throw new IllegalArgumentException(
          "signal of " + samples.length + " samples (" + length + " after padding) is shorter than one "
              + nFft + "-point frame");
    }
    double[] signal = new double[length + 2 * reflected];
    for (int i = 0; i < samples.length; i++) {
      signal[reflected + pad + i] = samples[i];
    }
    for (int i = 1; i <= reflected; i++) {
      // Mirror without repeating the edge sample: ..., x2, x1 | x0, x1, x2, ...
      signal[reflected - i] = signal[reflected + i];
      signal[reflected + length - 1 + i] = signal[reflected + length - 1 - i];
    }
    return signal;
  }
}
