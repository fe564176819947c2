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
    float[] weights = new float[batch * frames];
    for (int b = 0; b < batch; b++) {
      int valid = Math.min(frameLengths[b], frames);
      for (int t = 0; t < valid; t++) {
        weights[b * frames + t] = 1f / valid;
      }
    }
    NDArray frameWeights = hidden.getManager().create(weights, new Shape(batch, frames, 1));
    return hidden.mul(frameWeights).sum(new int[] {1});
  }
}
