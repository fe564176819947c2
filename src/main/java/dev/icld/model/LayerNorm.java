package dev.icld.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** Layer normalisation over the last axis with a learned scale and shift. */
final class LayerNorm {
  private final NDArray weight;
  private final NDArray bias;
  private final float eps;

  private LayerNorm(NDArray weight, NDArray bias, float eps) {
    this.weight = weight;
    this.bias = bias;
    this.eps = eps;
  }

  static LayerNorm load(WeightSource weights, Architecture.NormWeights norm) {
    return new LayerNorm(weights.take(norm.weight()), weights.take(norm.bias()), (float) norm.eps());
  }

  NDArray forward(NDArray x) {
    return ai.djl.nn.norm.LayerNorm.layerNorm(x, new Shape(weight.getShape().get(0)), weight, bias, eps)
        .singletonOrThrow();
  }
}
