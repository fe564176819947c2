package dev.icld.model;

import ai.djl.ndarray.NDArray;

/** Frame-wise character logits for CTC: a linear layer on every frame of a hidden state. */
public final class CtcHead implements TaskHead {
  public static final String TYPE = "ctc";

  private final NDArray weight;
  private final NDArray bias;

  public CtcHead(NDArray weight, NDArray bias) {
    this.weight = weight;
    this.bias = bias;
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public int classes() {
    return (int) weight.getShape().get(0);
  }

  @Override
  public NDArray weight() {
    return weight;
  }

  @Override
  public NDArray bias() {
    return bias;
  }

  /** Padded frames get logits too; the loss and the decoder read only the valid ones. */
  @Override
  public NDArray logits(NDArray hidden, int[] frameLengths) {
    return ai.djl.nn.core.Linear.linear(hidden, weight, bias).singletonOrThrow();
  }
}
