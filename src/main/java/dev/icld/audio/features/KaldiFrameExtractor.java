package dev.icld.audio.features;

import java.util.Arrays;
import java.util.Random;

/**
 * Cuts a signal into Kaldi frames and conditions each one the way compute-fbank-feats does: dither,
 * DC removal, log energy, pre-emphasis, window, zero-padding to the FFT size. Immutable; the window
 * is computed once per options object.
 */
final class KaldiFrameExtractor {
  /** float32 machine epsilon: Kaldi's floor on energies before taking logs. */
  static final double FLOAT_EPSILON = Math.ulp(1.0f);

  private final KaldiFbankOptions options;
  private final KaldiFrameGeometry geometry;
  private final double[] window;
  private final double logEnergyFloor;

  KaldiFrameExtractor(KaldiFbankOptions options) {
    this.options = options;
    this.geometry =
        KaldiFrameGeometry.of(
            options.sampleFrequency(),
            options.frameLength(),
            options.frameShift(),
            options.roundToPowerOfTwo(),
            options.preemphasisCoefficient());
    this.window = options.windowType().coefficients(geometry.windowSize(), options.blackmanCoeff());
    this.logEnergyFloor = options.energyFloor() == 0.0 ? Double.NEGATIVE_INFINITY : Math.log(options.energyFloor());
  }

  KaldiFrameGeometry geometry() {
    return geometry;
  }

  /**
   * Number of frames of {@code samples}, or -1 when the signal is shorter than {@code minDuration}
   * (torchaudio then returns an empty tensor).
   *
   * @throws IllegalArgumentException when the signal is shorter than one frame, as torchaudio does
   */
  int numFrames(float[] samples) {
    SignalChecks.requireFinite(samples);
    if (samples.length < geometry.windowSize()) {
      throw new IllegalArgumentException(
          "signal of " + samples.length + " samples is shorter than one frame of " + geometry.windowSize()
              + " samples (" + options.frameLength() + " ms at " + options.sampleFrequency() + " Hz)");
    }
    if (samples.length < options.minDuration() * options.sampleFrequency()) {
      return -1;
    }
    return geometry.numFrames(samples.length, options.snipEdges());
  }

  /** A generator for the dither noise of one signal, or null without dither. */
  Random newDitherSource() {
    return options.dither() == 0.0 ? null : new Random(options.ditherSeed());
  }

  /**
   * Fills {@code frame} (length {@code paddedWindowSize}) with conditioned frame {@code index} and
   * returns its log energy (before pre-emphasis and window when rawEnergy, after otherwise).
   */
  double extract(float[] samples, int index, double[] frame, Random dither) {
    int size = geometry.windowSize();
    int start = geometry.frameStart(index, options.snipEdges());
    for (int i = 0; i < size; i++) {
      frame[i] = samples[reflect(start + i, samples.length)];
    }
    if (dither != null) {
      for (int i = 0; i < size; i++) {
        frame[i] += dither.nextGaussian() * options.dither();
      }
    }
    if (options.removeDcOffset()) {
      double mean = 0;
      for (int i = 0; i < size; i++) {
        mean += frame[i];
      }
      mean /= size;
      for (int i = 0; i < size; i++) {
        frame[i] -= mean;
      }
    }
    double logEnergy = options.rawEnergy() ? logEnergy(frame, size) : 0.0;
    double preemphasis = options.preemphasisCoefficient();
    if (preemphasis != 0.0) {
      for (int i = size - 1; i > 0; i--) {
        frame[i] -= preemphasis * frame[i - 1];
      }
      frame[0] -= preemphasis * frame[0];
    }
    for (int i = 0; i < size; i++) {
      frame[i] *= window[i];
    }
    Arrays.fill(frame, size, frame.length, 0.0);
    return options.rawEnergy() ? logEnergy : logEnergy(frame, size);
  }

  private double logEnergy(double[] frame, int size) {
    double energy = 0;
    for (int i = 0; i < size; i++) {
      energy += frame[i] * frame[i];
    }
    return Math.max(Math.log(Math.max(energy, FLOAT_EPSILON)), logEnergyFloor);
  }

  /**
   * Kaldi's edge handling without snipEdges: the signal mirrored about its ends, the edge sample
   * repeated (..., x1, x0 | x0, x1, ... and ..., xn-2, xn-1 | xn-1, xn-2, ...).
   */
  private static int reflect(int index, int length) {
    if (index < 0) {
      return -index - 1;
    }
    if (index >= length) {
      return 2 * length - 1 - index;
    }
    return index;
  }
}
