package dev.icld.model;

import ai.djl.ndarray.NDArray;

/**
 * A linear task head on top of one hidden state of the backbone: a weight [classes, hidden] and a
 * bias [classes]; the kinds differ in what they apply it to.
 */
public abstract sealed class TaskHead permits ClassificationHead, CtcHead {
  private final NDArray weight;
  private final NDArray bias;

  TaskHead(NDArray weight, NDArray bias) {
    this.weight = weight;
    this.bias = bias;
  }

  /** "classification" or "ctc", as stored in a task model's icld.json. */
  public abstract String type();

  /**
   * @param hidden a hidden state [B, T, D]
   * @param frameLengths valid frames per utterance; padded frames never influence the result
   * @return logits: [B, classes] for classification, [B, T, classes] for CTC
   */
  public abstract NDArray logits(NDArray hidden, int[] frameLengths);

  /** Output classes. */
  public int classes() {
    return (int) weight.getShape().get(0);
  }

  public NDArray weight() {
    return weight;
  }

  public NDArray bias() {
    return bias;
  }

  /** The linear map itself, on [..., D]. */
  NDArray apply(NDArray x) {
    return ai.djl.nn.core.Linear.linear(x, weight, bias).singletonOrThrow();
  }
}
