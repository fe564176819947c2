package dev.icld.audio.features;

/**
 * Frame sizes in samples derived from Kaldi's millisecond options, rounded down exactly as
 * torchaudio does ({@code int(sample_frequency * frame_length * 0.001)}).
 *
 * @param windowSize samples per frame
 * @param windowShift samples between frame starts
 * @param paddedWindowSize FFT size: the frame zero-padded, to a power of two if asked
 */
record KaldiFrameGeometry(int windowSize, int windowShift, int paddedWindowSize) {

  private static final double MILLISECONDS_TO_SECONDS = 0.001;

  static KaldiFrameGeometry of(
      double sampleFrequency,
      double frameLength,
      double frameShift,
      boolean roundToPowerOfTwo,
      double preemphasisCoefficient) {
    if (!(sampleFrequency > 0)) {
      throw new IllegalArgumentException("sampleFrequency must be > 0 Hz, got " + sampleFrequency);
    }
    int windowShift = (int) (sampleFrequency * frameShift * MILLISECONDS_TO_SECONDS);
    int windowSize = (int) (sampleFrequency * frameLength * MILLISECONDS_TO_SECONDS);
    if (windowSize < 2) {
      throw new IllegalArgumentException(
          "frameLength=" + frameLength + " ms at " + sampleFrequency + " Hz gives " + windowSize
              + " samples per frame; need at least 2");
    }
    if (windowShift < 1) {
      throw new IllegalArgumentException(
          "frameShift=" + frameShift + " ms at " + sampleFrequency + " Hz gives " + windowShift
              + " samples between frames; need at least 1");
    }
    int padded = roundToPowerOfTwo ? nextPowerOfTwo(windowSize) : windowSize;
    if (padded % 2 != 0) {
      throw new IllegalArgumentException(
          "the frame of " + windowSize + " samples is odd: set roundToPowerOfTwo or change frameLength");
    }
    if (!(preemphasisCoefficient >= 0.0 && preemphasisCoefficient <= 1.0)) {
      throw new IllegalArgumentException(
          "preemphasisCoefficient must be in [0, 1], got " + preemphasisCoefficient);
    }
    return new KaldiFrameGeometry(windowSize, windowShift, padded);
  }

  private static int nextPowerOfTwo(int n) {
    return n <= 1 ? 1 : Integer.highestOneBit(n - 1) << 1;
  }

  /** Frames Kaldi cuts from {@code numSamples} samples (which must hold at least one window). */
  int numFrames(int numSamples, boolean snipEdges) {
    if (snipEdges) {
      return 1 + (numSamples - windowSize) / windowShift;
    }
    return (numSamples + windowShift / 2) / windowShift;
  }

  /**
   * Where frame {@code index} starts, in samples relative to the signal start. Without snipEdges
   * frames are centred on multiples of the shift and may start before the signal.
   */
  int frameStart(int index, boolean snipEdges) {
    int start = index * windowShift;
    return snipEdges ? start : start - (windowSize / 2 - windowShift / 2);
  }
}
