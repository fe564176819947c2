package dev.icld.audio;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Band-limited resampling by windowed-sinc polyphase filtering, with the semantics of
 * torchaudio.functional.resample's defaults: Hann-windowed sinc ("sinc_interp_hann"), a low-pass
 * width of 6 zero crossings, a roll-off of 0.99 of the lower Nyquist frequency, rates reduced by
 * their gcd, zero padding at both ends, and ceil(length * new / orig) output samples.
 *
 * <p>The filter has one phase per sample of the reduced target rate and about 12 taps per phase
 * times the reduced downsampling ratio, so rates with a small gcd need large filters. A filter of
 * more than {@value #MAX_FILTER_TAPS} taps (32 MB) is refused: every pair of rates that {@link
 * AudioFiles} accepts needs fewer (at most about 6.9 million, for 383999 Hz to 384 kHz).
 */
public final class Resampler {
  private static final long MAX_FILTER_TAPS = 1 << 23;
  private static final int LOWPASS_FILTER_WIDTH = 6;
  private static final double ROLLOFF = 0.99;
  private static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;
  /** Few, so that a stream of files at odd rates cannot pin a large filter each. */
  private static final int CACHED_FILTERS = 8;
  /** Designed filters by reduced rate pair, least recently used evicted first. */
  private static final Map<Long, PolyphaseFilter> FILTERS =
      Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, PolyphaseFilter> eldest) {
          return size() > CACHED_FILTERS;
        }
      });

  private Resampler() {}

  /** The audio at {@code targetRate}; the same instance when the rate already matches. */
  public static Audio resample(Audio audio, int targetRate) {
    if (targetRate <= 0) {
      throw new IllegalArgumentException("target sample rate must be positive, got " + targetRate);
    }
    int sourceRate = audio.sampleRate();
    if (sourceRate == targetRate) {
      return audio;
    }
    int gcd = gcd(sourceRate, targetRate);
    int orig = sourceRate / gcd;
    int target = targetRate / gcd;
    long taps = PolyphaseFilter.maxTaps(orig, target);
    if (taps > MAX_FILTER_TAPS) {
      throw new IllegalArgumentException("cannot resample " + sourceRate + " Hz to " + targetRate
          + " Hz: the rates reduce to " + orig + ":" + target + ", whose filter would need up to "
          + taps + " taps, more than the " + MAX_FILTER_TAPS + " this resampler designs");
    }
    long outputLength = outputLength(audio.samples().length, sourceRate, targetRate);
    if (outputLength > MAX_ARRAY_LENGTH) {
      throw new IllegalArgumentException("cannot resample " + audio.samples().length
          + " samples from " + sourceRate + " Hz to " + targetRate + " Hz: the " + outputLength
          + " samples out are more than an array holds");
    }
    long ratePair = ((long) orig << 32) | target;
    PolyphaseFilter filter =
        FILTERS.computeIfAbsent(ratePair, key -> PolyphaseFilter.design(orig, target));
    return new Audio(filter.apply(audio.samples()), targetRate);
  }

  /**
   * How many samples {@link #resample} makes of {@code length} at {@code sourceRate}: the filter's
   * own count, ceil(length * target / source) of the rates reduced by their gcd.
   */
  public static long outputLength(long length, int sourceRate, int targetRate) {
    if (sourceRate <= 0 || targetRate <= 0) {
      throw new IllegalArgumentException(
          "sample rates must be positive, got " + sourceRate + " and " + targetRate);
    }
    if (sourceRate == targetRate) {
      return length;
    }
    int gcd = gcd(sourceRate, targetRate);
    return PolyphaseFilter.outputLength(length, sourceRate / gcd, targetRate / gcd);
  }

  private static int gcd(int a, int b) {
    while (b != 0) {
      int r = a % b;
      a = b;
      b = r;
    }
    return a;
  }

  /**
   * One FIR filter per output phase. Output sample {@code k * newRate + j} is the dot product of
   * phase {@code j}'s taps with the input starting at {@code k * origRate + firstTap[j] - width}.
   * Only taps strictly inside the window are kept: torchaudio clamps the others to the window edge,
   * where cos^2 * sinc is about 1e-49 and rounds to exactly 0 in float32.
   */
  private record PolyphaseFilter(int origRate, int newRate, int width, int[] firstTap, float[][] taps) {

    /**
     * An upper bound on what {@link #design} allocates, in taps: each phase scans at most
     * 2 * halfSpan + 4 positions (halfSpan as in design), and its scratch array holds 2 * width +
     * origRate, width being at most halfSpan + 1.
     */
    static long maxTaps(int origRate, int newRate) {
      double halfSpan =
          LOWPASS_FILTER_WIDTH * (double) origRate / (Math.min(origRate, newRate) * ROLLOFF);
      long perPhase = (long) Math.ceil(2 * halfSpan) + 4;
      return (newRate + 1L) * perPhase + origRate;
    }

    static long outputLength(long inputLength, int origRate, int newRate) {
      return (inputLength * newRate + origRate - 1) / origRate;
    }

    static PolyphaseFilter design(int origRate, int newRate) {
      double baseFreq = Math.min(origRate, newRate) * ROLLOFF;
      int width = (int) Math.ceil(LOWPASS_FILTER_WIDTH * origRate / baseFreq);
      double scale = baseFreq / origRate;
      int tapCount = 2 * width + origRate;
      int[] firstTap = new int[newRate];
      float[][] taps = new float[newRate][];
      double[] phaseTaps = new double[tapCount];
      for (int phase = 0; phase < newRate; phase++) {
        // The phase offset is computed in float32, as torchaudio does, before joining the
        // float64 tap positions.
        double phaseOffset = (float) -phase / (float) newRate;
        // Only taps within LOWPASS_FILTER_WIDTH zero crossings of the centre can be non-zero; scan
        // that span plus one tap of margin on each side for rounding.
        double centre = width - phaseOffset * origRate;
        double halfSpan = LOWPASS_FILTER_WIDTH * origRate / baseFreq;
        int from = Math.max(0, (int) Math.floor(centre - halfSpan) - 1);
        int to = Math.min(tapCount - 1, (int) Math.ceil(centre + halfSpan) + 1);
        int first = -1;
        int last = -1;
        for (int m = from; m <= to; m++) {
          double t = (phaseOffset + (m - width) / (double) origRate) * baseFreq;
          if (Math.abs(t) >= LOWPASS_FILTER_WIDTH) {
            continue;
          }
          double window = Math.cos(t * Math.PI / LOWPASS_FILTER_WIDTH / 2);
          double x = t * Math.PI;
          double sinc = x == 0 ? 1.0 : Math.sin(x) / x;
          phaseTaps[m] = sinc * (window * window * scale);
          if (first < 0) {
            first = m;
          }
          last = m;
        }
        firstTap[phase] = first;
        taps[phase] = new float[last - first + 1];
        for (int m = first; m <= last; m++) {
          taps[phase][m - first] = (float) phaseTaps[m];
        }
      }
      return new PolyphaseFilter(origRate, newRate, width, firstTap, taps);
    }

    float[] apply(float[] input) {
      int outputLength = (int) outputLength(input.length, origRate, newRate);
      float[] output = new float[outputLength];
      for (int n = 0; n < outputLength; n++) {
        int block = n / newRate;
        int phase = n % newRate;
        float[] h = taps[phase];
        int start = block * origRate + firstTap[phase] - width;
        int from = Math.max(0, -start);
        int to = Math.min(h.length, input.length - start);
        double sum = 0;
        for (int i = from; i < to; i++) {
          sum += (double) h[i] * input[start + i];
        }
        output[n] = (float) sum;
      }
      return output;
    }
  }
}
