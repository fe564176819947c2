package dev.icld.model;

import ai.djl.ndarray.NDArray;

/** y = x W^T + b over the last axis; weight [out, in] as in torch.nn.Linear. */
final class Linear {
  private final NDArray weight;
  private final NDArray bias;

  private Linear(NDArray weight, NDArray bias) {
    this.weight = weight;
    this.bias = bias;
  }

  static Linear load(WeightSource weights, Architecture.LinearWeights linear) {
    return new Linear(weights.take(linear.weight()), weights.take(linear.bias()));
  }

  NDArray forward(NDArray x) {
    return ai.djl.nn.core.Linear.linear(x, weight, bias).singletonOrThrow();
  }
}
