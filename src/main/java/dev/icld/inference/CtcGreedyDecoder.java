package dev.icld.inference;

import java.util.Arrays;

/** Best-path CTC decoding: the most likely class per frame, repeats merged, blanks removed. */
public final class CtcGreedyDecoder {
  private final int blank;

  public CtcGreedyDecoder(int blank) {
    this.blank = blank;
  }

  /**
   * @param scores per-frame class scores (logits or log-probabilities), [frames, classes]
   *     row-major
   * @param length valid frames; later frames are padding
   * @return the label sequence
   */
  public int[] decode(float[] scores, int classes, int length) {
    if (length * classes > scores.length) {
      throw new IllegalArgumentException(
          length + " frames of " + classes + " classes need " + length * classes + " scores, got "
              + scores.length);
    }
    int[] out = new int[length];
    int n = 0;
    int previous = blank;
    for (int t = 0; t < length; t++) {
      int best = OutputDecoder.argmax(scores, t * classes, classes);
      if (best != blank && best != previous) {
        out[n++] = best;
      }
      previous = best;
    }
    return Arrays.copyOf(out, n);
  }
}
