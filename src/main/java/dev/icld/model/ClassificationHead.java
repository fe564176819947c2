package dev.icld.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** Utterance classification: the mean over valid frames of a hidden state, then a linear layer. */
public final class ClassificationHead extends TaskHead {
  public static final String TYPE = "classification";

  public ClassificationHead(NDArray weight, NDArray bias) {
    super(weight, bias);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public NDArray logits(NDArray hidden, int[] frameLengths) {
    return apply(meanOverValidFrames(hidden, frameLengths));
  }

  /** [B, T, D] to [B, D]: each row's mean over its first frameLengths[b] frames. */
  static NDArray meanOverValidFrames(NDArray hidden, int[] frameLengths) {
    int batch = (int) hidden.getShape().get(0);
    int frames = (int) hidden.getShape().get(1);
    NDArray weights = hidden.getManager()
        .create(frameWeights(frameLengths, frames), new Shape(batch, frames, 1));
    return hidden.mul(weights).sum(new int[] {1});
  }

  /**
   * The pooling weights [B, T] (row-major) that make the head's mean a weighted sum: 1 / valid
   * frames on each utterance's valid frames, 0 on its padding.
   */
  public static float[] frameWeights(int[] frameLengths, int frames) {
    float[] weights = new float[frameLengths.length * frames];
    for (int b = 0; b < frameLengths.length; b++) {
      int valid = Math.min(frameLengths[b], frames);
      for (int t = 0; t < valid; t++) {
        weights[b * frames + t] = 1f / valid;
      }
    }
    return weights;
  }
}
