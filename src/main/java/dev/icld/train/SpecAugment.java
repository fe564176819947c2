package dev.icld.train;

import java.util.Arrays;
import java.util.Random;

/**
 * SpecAugment as Hugging Face's wav2vec 2.0 family applies it in fine-tuning (config fields
 * mask_time_prob / mask_time_length / mask_time_min_masks and mask_feature_prob /
 * mask_feature_length / mask_feature_min_masks, with its defaults of 2 and 0 minimum spans): spans
 * of frames replaced by the mask embedding, spans of channels zeroed in every frame. The span
 * counts and starts follow {@code _compute_mask_indices}, with a {@link Random} in numpy's place.
 *
 * @param timeProbability about this fraction of each utterance's valid frames starts a span (0:
 *     no time masking)
 * @param timeLength frames per time span
 * @param featureProbability the same over the projected channels (0: no channel masking)
 * @param featureLength channels per channel span
 */
public record SpecAugment(double timeProbability, int timeLength, double featureProbability,
    int featureLength) {
  /** Hugging Face's mask_time_min_masks default: even short utterances get two time spans. */
  static final int MIN_TIME_SPANS = 2;
  /** Hugging Face's mask_feature_min_masks default. */
  static final int MIN_FEATURE_SPANS = 0;

  /** No masking. */
  public static final SpecAugment NONE = new SpecAugment(0, 10, 0, 10);

  public SpecAugment {
    if (!(timeProbability >= 0 && timeProbability <= 1)) {
      throw new IllegalArgumentException(
          "--mask-time-prob must be in [0, 1], got " + timeProbability);
    }
    if (!(featureProbability >= 0 && featureProbability <= 1)) {
      throw new IllegalArgumentException(
          "--mask-feature-prob must be in [0, 1], got " + featureProbability);
    }
    if (timeLength < 1) {
      throw new IllegalArgumentException("--mask-time-length must be at least 1, got " + timeLength);
    }
    if (featureLength < 1) {
      throw new IllegalArgumentException(
          "--mask-feature-length must be at least 1, got " + featureLength);
    }
  }

  public boolean masksTime() {
    return timeProbability > 0;
  }

  public boolean masksFeatures() {
    return featureProbability > 0;
  }

  /**
   * The time mask of a batch, or null without time masking.
   *
   * @param frameLengths valid frames per utterance; spans stay inside them
   * @param frames the padded frame count
   */
  boolean[][] timeMask(int[] frameLengths, int frames, Random random) {
    return masksTime()
        ? spans(frameLengths, frames, timeProbability, timeLength, MIN_TIME_SPANS, random)
        : null;
  }

  /** The channel mask of a batch over {@code channels} projected channels, or null. */
  boolean[][] channelMask(int batch, int channels, Random random) {
    if (!masksFeatures()) {
      return null;
    }
    int[] lengths = new int[batch];
    Arrays.fill(lengths, channels);
    return spans(lengths, channels, featureProbability, featureLength, MIN_FEATURE_SPANS, random);
  }

  /**
   * {@code _compute_mask_indices}: one rounding offset for the batch, then per row a span count
   * and that many distinct span starts. A sequence shorter than a span is left unmasked where
   * Hugging Face raises an error, since a batch of short clips must still train.
   */
  static boolean[][] spans(int[] lengths, int width, double probability, int spanLength,
      int minSpans, Random random) {
    boolean[][] mask = new boolean[lengths.length][width];
    double epsilon = random.nextDouble();
    if (spanCount(width, width, probability, spanLength, minSpans, epsilon) == 0) {
      return mask;
    }
    for (int b = 0; b < lengths.length; b++) {
      int count = spanCount(lengths[b], width, probability, spanLength, minSpans, epsilon);
      int starts = lengths[b] - (spanLength - 1);
      int[] order = new int[Math.max(starts, 0)];
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
      }
      for (int i = 0; i < count; i++) {
        int j = i + random.nextInt(order.length - i);
        int start = order[j];
        order[j] = order[i];
        order[i] = start;
        Arrays.fill(mask[b], start, start + spanLength, true);
      }
    }
    return mask;
  }

  private static int spanCount(int length, int width, double probability, int spanLength,
      int minSpans, double epsilon) {
    int count = Math.max((int) (probability * length / spanLength + epsilon), minSpans);
    if ((long) count * spanLength > width) {
      count = width / spanLength;
    }
    return Math.min(count, Math.max(length - (spanLength - 1), 0));
  }
}
