package dev.icld.audio.features;

import org.jtransforms.fft.DoubleFFT_1D;

/**
 * Power spectrum of real frames of one fixed size, on a reusable JTransforms plan.
 *
 * <p>The plan keeps scratch state, so each thread gets its own copy; an instance can be shared by
 * feature extractors used from several threads.
 */
final class RealFft {
  private final int size;
  private final ThreadLocal<DoubleFFT_1D> plans;

  RealFft(int size) {
    if (size < 1) {
      throw new IllegalArgumentException("FFT size must be positive, got " + size);
    }
    this.size = size;
    this.plans = ThreadLocal.withInitial(() -> new DoubleFFT_1D(size));
  }

  int size() {
    return size;
  }

  /** Number of non-negative frequencies of a one-sided spectrum: size / 2 + 1. */
  int numBins() {
    return size / 2 + 1;
  }

  /**
   * Writes |X[k]|^2 for k = 0 .. size / 2 into {@code power}.
   *
   * @param frame {@code size} real samples; overwritten by the transform
   */
  void powerSpectrum(double[] frame, double[] power) {
    plans.get().realForward(frame);
    // JTransforms packs the spectrum in place: a[0] = Re[0]; a[2k], a[2k+1] = Re[k], Im[k];
    // the last bin sits in a[1] (Re[n/2] when n is even, Im[(n-1)/2] when n is odd).
    power[0] = frame[0] * frame[0];
    int half = size / 2;
    for (int k = 1; k < half; k++) {
      power[k] = frame[2 * k] * frame[2 * k] + frame[2 * k + 1] * frame[2 * k + 1];
    }
    if (half > 0) {
      double lastReal = size % 2 == 0 ? frame[1] : frame[size - 1];
      double lastImaginary = size % 2 == 0 ? 0.0 : frame[1];
      power[half] = lastReal * lastReal + lastImaginary * lastImaginary;
    }
  }
}
