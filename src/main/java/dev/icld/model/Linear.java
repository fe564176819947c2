package dev.icld.model;

import ai.djl.ndarray.NDArray;

/** y = x W^T + b over the last axis; weight [out, in] as in torch.nn.Linear. */
final class Linear {
  private final NDArray weight;
  private final NDArray bias;

  Linear(NDArray weight, NDArray bias) {
    this.weight = weight;
    this.bias = bias;
  }

  static Linear load(WeightSource weights, String name, long in, long out) {
    return new Linear(weights.take(name + ".weight", out, in), weights.take(name + ".bias", out));
  }

  NDArray forward(NDArray x) {
    return ai.djl.nn.core.Linear.linear(x, weight, bias).singletonOrThrow();
  }
}
