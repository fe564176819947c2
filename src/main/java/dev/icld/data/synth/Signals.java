package dev.icld.data.synth;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Small deterministic signal operations used to assemble clips. Samples are floats in [-1, 1]. */
final class Signals {
  private static final int FRAME = Sox.RATE / 100;

  private Signals() {}

  /**
   * Cuts leading and trailing silence: frames of 10 ms more than {@code belowPeakDb} dB under the
   * loudest frame, keeping 20 ms of margin. TTS engines pad their output with silence of varying
   * length, which would otherwise leak the engine into the clip's timing.
   */
  static float[] trimSilence(float[] x, double belowPeakDb) {
    int frames = x.length / FRAME;
    if (frames == 0) {
      return x;
    }
    double[] energy = new double[frames];
    double max = 0;
    for (int f = 0; f < frames; f++) {
      energy[f] = meanSquare(x, f * FRAME, (f + 1) * FRAME);
      max = Math.max(max, energy[f]);
    }
    if (max == 0) {
      return new float[0];
    }
    double threshold = max * Math.pow(10, -belowPeakDb / 10);
    int first = 0;
    while (energy[first] < threshold) {
      first++;
    }
    int last = frames - 1;
    while (energy[last] < threshold) {
      last--;
    }
    int from = Math.max(0, (first - 2) * FRAME);
    int to = Math.min(x.length, (last + 3) * FRAME);
    return Arrays.copyOfRange(x, from, to);
  }

  /**
   * Cuts a recording of several utterances apart at pauses of at least {@code minPause} samples.
   * A 10 ms frame counts as silent when it is 50 dB or more under the loudest frame; each piece
   * keeps 20 ms of margin.
   */
  static List<float[]> splitAtPauses(float[] x, int minPause) {
    int frames = x.length / FRAME;
    double[] energy = new double[frames];
    double max = 0;
    for (int f = 0; f < frames; f++) {
      energy[f] = meanSquare(x, f * FRAME, (f + 1) * FRAME);
      max = Math.max(max, energy[f]);
    }
    double threshold = max * 1e-5;
    int minPauseFrames = Math.max(1, minPause / FRAME);
    List<float[]> pieces = new ArrayList<>();
    int f = 0;
    while (f < frames) {
      while (f < frames && energy[f] <= threshold) {
        f++;
      }
      if (f == frames) {
        break;
      }
      int first = f;
      int last = f;
      int silent = 0;
      while (f < frames && silent < minPauseFrames) {
        if (energy[f] > threshold) {
          last = f;
          silent = 0;
        } else {
          silent++;
        }
        f++;
      }
      pieces.add(Arrays.copyOfRange(x, Math.max(0, (first - 2) * FRAME),
          Math.min(x.length, (last + 3) * FRAME)));
    }
    return pieces;
  }

  static double meanSquare(float[] x, int from, int to) {
    double sum = 0;
    for (int i = from; i < to; i++) {
      sum += (double) x[i] * x[i];
    }
    return to > from ? sum / (to - from) : 0;
  }

  /** {@code length} samples of {@code source} from {@code offset}, wrapping around its end. */
  static float[] loopedSegment(float[] source, int offset, int length) {
    float[] out = new float[length];
    for (int i = 0; i < length; i++) {
      out[i] = source[(offset + i) % source.length];
    }
    return out;
  }

  /**
   * Adds {@code noise} (same length as {@code clip}) scaled so that the signal in
   * [{@code from}, {@code to}) is {@code snrDb} dB above the noise's mean power.
   */
  static void addAtSnr(float[] clip, int from, int to, float[] noise, double snrDb) {
    double signal = meanSquare(clip, from, to);
    double noisePower = meanSquare(noise, 0, noise.length);
    if (signal == 0 || noisePower == 0) {
      return;
    }
    double gain = Math.sqrt(signal / (noisePower * Math.pow(10, snrDb / 10)));
    for (int i = 0; i < clip.length; i++) {
      clip[i] += (float) (gain * noise[i]);
    }
  }

  /** Scales {@code x} in place so that its largest magnitude is {@code peak}. */
  static void normalizePeak(float[] x, double peak) {
    float max = 0;
    for (float v : x) {
      max = Math.max(max, Math.abs(v));
    }
    if (max == 0) {
      return;
    }
    float gain = (float) (peak / max);
    for (int i = 0; i < x.length; i++) {
      x[i] *= gain;
    }
  }

  /** Scales {@code x} in place to a mean power of {@code rmsDb} dB full scale. */
  static void normalizeRms(float[] x, double rmsDb) {
    double power = meanSquare(x, 0, x.length);
    if (power == 0) {
      return;
    }
    float gain = (float) (Math.pow(10, rmsDb / 20) / Math.sqrt(power));
    for (int i = 0; i < x.length; i++) {
      x[i] *= gain;
    }
    normalizePeakIfClipping(x);
  }

  /** Keeps a clip inside [-1, 1] without changing it when it already is. */
  static void normalizePeakIfClipping(float[] x) {
    float max = 0;
    for (float v : x) {
      max = Math.max(max, Math.abs(v));
    }
    if (max > 0.99f) {
      normalizePeak(x, 0.99);
    }
  }

  /**
   * Plays {@code x} {@code factor} times faster by linear interpolation (pitch changes with it,
   * as with sox's speed effect).
   */
  static float[] changeSpeed(float[] x, double factor) {
    int n = (int) Math.floor((x.length - 1) / factor) + 1;
    float[] out = new float[Math.max(n, 0)];
    for (int i = 0; i < out.length; i++) {
      double pos = i * factor;
      int k = (int) pos;
      double frac = pos - k;
      float next = k + 1 < x.length ? x[k + 1] : x[k];
      out[i] = (float) (x[k] * (1 - frac) + next * frac);
    }
    return out;
  }
}
