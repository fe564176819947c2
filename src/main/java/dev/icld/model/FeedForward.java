package dev.icld.model;

import ai.djl.ndarray.NDArray;

/** The position-wise feed-forward block: Linear(D, F), activation, Linear(F, D). */
final class FeedForward {
  private final Linear intermediate;
  private final Linear output;
  private final ActivationFunction activation;

  private FeedForward(Linear intermediate, Linear output, ActivationFunction activation) {
    this.intermediate = intermediate;
    this.output = output;
    this.activation = activation;
  }

  static FeedForward load(WeightSource weights, Architecture.FeedForwardBlock block) {
    return new FeedForward(Linear.load(weights, block.intermediateDense()),
        Linear.load(weights, block.outputDense()), ActivationFunction.named(block.hiddenAct()));
  }

  NDArray forward(NDArray x) {
    return output.forward(activation.apply(intermediate.forward(x)));
  }
}
