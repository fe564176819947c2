package dev.icld.train;

/**
 * How frame targets at one rate line up with the encoder's frames at another, as fairseq's
 * HuBERT does it: encoder frame t takes label floor(t * labelRate / frameRate) (every second
 * label for 100 Hz MFCC targets and a 50 Hz encoder), and an utterance's encoder frames are
 * cropped where that index would run past its last label.
 */
public record TargetAlignment(double labelRate, double frameRate) {
  public TargetAlignment {
    if (!(labelRate > 0) || !(frameRate > 0)) {
      throw new IllegalArgumentException(
          "rates must be positive, got " + labelRate + " and " + frameRate);
    }
  }

  private double ratio() {
    return labelRate / frameRate;
  }

  /** Encoder frames that have a label: all {@code frames}, or fewer when labels run out first. */
  public int usableFrames(int frames, int labelCount) {
    if (ratio() * frames > labelCount) {
      return (int) (labelCount / ratio());
    }
    return frames;
  }

  /** Index of the label of encoder frame {@code frame}. */
  public int labelIndex(int frame) {
    return (int) (frame * ratio());
  }

  /** The label of each usable encoder frame: {@link #usableFrames} values. */
  public int[] frameLabels(int[] labels, int frames) {
    int[] out = new int[usableFrames(frames, labels.length)];
    for (int t = 0; t < out.length; t++) {
      out[t] = labels[labelIndex(t)];
    }
    return out;
  }
}
