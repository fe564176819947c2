package dev.icld.train;

import java.util.Random;

/**
 * Time masking of the feature-encoder output as in wav2vec 2.0 and HuBERT pretraining: per
 * utterance, about {@code probability * length / spanLength} span starts are drawn without
 * replacement (the count rounded stochastically), and each masks {@code spanLength} frames.
 * Spans may overlap, so the masked share is below {@code probability}; HuBERT uses 0.8 and 10.
 */
public record SpanMasking(double probability, int spanLength, int minSpans) {
  public SpanMasking {
    if (probability < 0 || probability > 1 || spanLength < 1 || minSpans < 0) {
      throw new IllegalArgumentException(
          "need 0 <= probability <= 1, span length >= 1, min spans >= 0; got " + probability
              + ", " + spanLength + ", " + minSpans);
    }
  }

  /** HuBERT Base's pretraining setting. */
  public static SpanMasking hubert() {
    return new SpanMasking(0.8, 10, 2);
  }

  /**
   * @param lengths valid frames per utterance
   * @param frames padded length of the batch
   * @return [batch][frames], true where a frame is masked; padding is never masked
   */
  public boolean[][] sample(int[] lengths, int frames, Random random) {
    boolean[][] masked = new boolean[lengths.length][frames];
    for (int b = 0; b < lengths.length; b++) {
      int length = lengths[b];
      if (length > frames) {
        throw new IllegalArgumentException(
            "utterance " + b + " has " + length + " frames, the batch only " + frames);
      }
      int starts = length - spanLength + 1;
      if (starts <= 0) {
        continue;
      }
      int spans = (int) (probability * length / spanLength + random.nextDouble());
      spans = Math.min(Math.max(spans, minSpans), starts);
      // Partial Fisher-Yates: the first `spans` entries become a uniform sample without replacement.
      int[] candidates = new int[starts];
      for (int i = 0; i < starts; i++) {
        candidates[i] = i;
      }
      for (int i = 0; i < spans; i++) {
        int j = i + random.nextInt(starts - i);
        int start = candidates[j];
        candidates[j] = candidates[i];
        candidates[i] = start;
        for (int t = start; t < start + spanLength; t++) {
          masked[b][t] = true;
        }
      }
    }
    return masked;
  }
}
