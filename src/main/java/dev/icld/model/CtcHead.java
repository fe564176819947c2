package dev.icld.model;

import ai.djl.ndarray.NDArray;

/** Frame-wise character logits for CTC: a linear layer on every frame of a hidden state. */
public final class CtcHead extends TaskHead {
  public static final String TYPE = "ctc";

  public CtcHead(NDArray weight, NDArray bias) {
    super(weight, bias);
  }

  @Override
  public String type() {
    return TYPE;
  }

  /** Padded frames get logits too; the loss and the decoder read only the valid ones. */
  @Override
  public NDArray logits(NDArray hidden, int[] frameLengths) {
    return apply(hidden);
  }
}
