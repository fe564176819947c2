package dev.icld.data;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Speed perturbation for training: each utterance of each epoch is played faster or slower by a
 * factor drawn uniformly from [min, max], which shifts pitch and every formant together and so
 * makes a new-sounding speaker (the voice variation Kaldi's 0.9/1.0/1.1 recipe and vocal-tract
 * length perturbation add). The factor depends only on (seed, epoch, utterance), so a resumed
 * run sees the same audio as an uninterrupted one.
 */
public record SpeedPerturbation(double min, double max, long seed) {
  public static final double LOWEST = 0.5;
  public static final double HIGHEST = 2.0;

  public SpeedPerturbation {
    if (!(min >= LOWEST && max <= HIGHEST && min <= max)) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "speed perturbation needs %s <= min <= max <= %s, got %s,%s", LOWEST, HIGHEST, min,
          max));
    }
  }

  /** Parses "MIN,MAX" as the command line gives it, for example "0.9,1.1". */
  public static SpeedPerturbation parse(String text, long seed) {
    String[] parts = text.split(",", -1);
    if (parts.length != 2) {
      throw new IllegalArgumentException("--speed-perturb takes MIN,MAX (for example 0.9,1.1), got '"
          + text + "'");
    }
    try {
      return new SpeedPerturbation(Double.parseDouble(parts[0].trim()),
          Double.parseDouble(parts[1].trim()), seed);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--speed-perturb takes two numbers MIN,MAX, got '"
          + text + "'", e);
    }
  }

  /** The factor for one utterance in one epoch: above 1 plays faster (shorter, higher). */
  public double factor(int epoch, int utterance) {
    if (min == max) {
      return min;
    }
    long stream = seed * 0x9E3779B97F4A7C15L + epoch * 0xBF58476D1CE4E5B9L + utterance;
    return min + (max - min) * new SplittableRandom(stream).nextDouble();
  }

  /**
   * The samples played at {@code factor} times their speed, by linear interpolation. Its
   * aliasing stays far below the noise the corpora already carry, and it keeps the cost of an
   * augmentation negligible next to a training step.
   */
  public static float[] apply(float[] samples, double factor) {
    if (factor == 1.0 || samples.length < 2) {
      return samples;
    }
    int length = Math.max(1, (int) Math.round(samples.length / factor));
    float[] out = new float[length];
    int last = samples.length - 1;
    for (int i = 0; i < length; i++) {
      double position = Math.min(i * factor, last);
      int left = (int) position;
      int right = Math.min(left + 1, last);
      double weight = position - left;
      out[i] = (float) (samples[left] * (1 - weight) + samples[right] * weight);
    }
    return out;
  }

  public String describe() {
    return String.format(Locale.ROOT, "speed x %s..%s", min, max);
  }
}
