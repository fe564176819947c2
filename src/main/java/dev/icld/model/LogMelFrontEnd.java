package dev.icld.model;

import dev.icld.audio.features.MelFilterBank;
import dev.icld.audio.features.MelNorm;
import dev.icld.audio.features.MelScaleType;

/**
 * The arithmetic of icld's log-mel front end ({@code feat_extract_type: "log_mel"}), shared by the
 * DJL model, the ONNX export and the FLOPs count. Per frame of {@code window} samples every {@code
 * hop} samples (the frame grid of a conv stack with that kernel and stride): a periodic Hann window,
 * the power spectrum of an {@code fftSize}-point DFT (the window zero-padded to the next power of
 * two), {@code mels} HTK mel filters from 0 Hz to 8 kHz (torchaudio's {@code melscale_fbanks},
 * no norm), then log10 of the filter energies plus {@code FLOOR}.
 *
 * <p>Each utterance is then scaled by its own loudest filter energy: {@code max(L - max L, -RANGE)
 * / (RANGE / 2) + 1}, in [-1, 1]. The gain of a recording drops out and the floor bounds silence,
 * without statistics over frames (zero padding, never louder than speech, leaves a row's maximum
 * unchanged, so a padded batch gives each utterance its unpadded frames). The DFT is a convolution
 * with a fixed cos/sin basis, so the front end needs only Conv, MatMul and element-wise ops in
 * every engine.
 */
public record LogMelFrontEnd(int window, int hop, int mels) {
  public static final float FLOOR = 1e-10f;
  /** The dynamic range kept below each utterance's maximum, in log10 units (80 dB). */
  public static final float RANGE = 8f;
  private static final double MAX_FREQUENCY = FoundationModel.SAMPLE_RATE / 2.0;

  public static LogMelFrontEnd of(ModelConfig config) {
    if (!config.logMelFrontEnd()) {
      throw new IllegalArgumentException("the config's front end is " + config.featExtractType());
    }
    return new LogMelFrontEnd(config.convKernel().get(0), config.convStride().get(0),
        config.convDim().get(0));
  }

  /** The DFT size for a window: the smallest power of two at least as long. */
  public static int fftSize(int window) {
    return Integer.highestOneBit(Math.max(1, window - 1)) << 1;
  }

  public int fftSize() {
    return fftSize(window);
  }

  /** Frequency bins of the power spectrum. */
  public int bins() {
    return fftSize() / 2 + 1;
  }

  /** Frames for {@code samples} samples (0 when shorter than one window). */
  public int frames(long samples) {
    return samples < window ? 0 : (int) ((samples - window) / hop + 1);
  }

  /**
   * The windowed DFT as conv weights [2F, 1, window]: rows 0..F-1 the cosine parts, rows F..2F-1
   * the sine parts, so that the power of bin k is the sum of the squares of rows k and F + k.
   */
  public float[] dftBasis() {
    int bins = bins();
    int n = fftSize();
    float[] basis = new float[2 * bins * window];
    for (int t = 0; t < window; t++) {
      double hann = 0.5 - 0.5 * Math.cos(2 * Math.PI * t / window);
      for (int k = 0; k < bins; k++) {
        // k t mod n keeps the angle small, so the basis is exact to float precision.
        double angle = 2 * Math.PI * ((long) k * t % n) / n;
        basis[k * window + t] = (float) (hann * Math.cos(angle));
        basis[(bins + k) * window + t] = (float) (-hann * Math.sin(angle));
      }
    }
    return basis;
  }

  /**
   * The mel filters as a dense matrix [F, mels], the right operand of a product with a power
   * spectrum [.., F] (both engines multiply frames-last).
   */
  public float[] melFilters() {
    int bins = bins();
    MelFilterBank bank = new MelFilterBank(bins, 0, MAX_FREQUENCY, mels,
        FoundationModel.SAMPLE_RATE, MelNorm.NONE, MelScaleType.HTK);
    float[] filters = new float[bins * mels];
    double[] unit = new double[bins];
    double[] column = new double[mels];
    for (int k = 0; k < bins; k++) {
      unit[k] = 1;
      bank.apply(unit, column);
      unit[k] = 0;
      for (int m = 0; m < mels; m++) {
        filters[k * mels + m] = (float) column[m];
      }
    }
    return filters;
  }

  /** Multiply-accumulates as FLOPs (2 each) of one frame: the DFT and the mel filters. */
  public long flopsPerFrame() {
    return 2L * window * 2 * bins() + 2L * bins() * mels;
  }
}
