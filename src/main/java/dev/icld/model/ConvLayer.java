package dev.icld.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv1d;

/**
 * One block of the convolutional feature encoder ({@link Architecture.ConvBlock}): Conv1d (no
 * padding), an optional normalisation, then the activation. The group-norm form normalises each
 * channel over time (groups = channels), the layer-norm form normalises each frame over channels.
 */
final class ConvLayer {
  private final Architecture.ConvBlock block;
  private final NDArray weight;
  private final NDArray bias;
  private final NDArray normWeight;
  private final NDArray normBias;
  private final ActivationFunction activation;

  private ConvLayer(Architecture.ConvBlock block, NDArray weight, NDArray bias, NDArray normWeight,
      NDArray normBias) {
    this.block = block;
    this.weight = weight;
    this.bias = bias;
    this.normWeight = normWeight;
    this.normBias = normBias;
    this.activation = ActivationFunction.named(block.activation());
  }

  static ConvLayer load(WeightSource weights, Architecture.ConvBlock block) {
    NDArray weight = weights.take(block.conv());
    // DJL's convolution needs a bias array; a bias-free conv gets a constant zero one.
    NDArray bias = block.bias() != null
        ? weights.take(block.bias())
        : weights.manager().zeros(new Shape(block.out()));
    Architecture.NormWeights norm = block.layerNorm();
    return norm == null
        ? new ConvLayer(block, weight, bias, null, null)
        : new ConvLayer(block, weight, bias, weights.take(norm.weight()), weights.take(norm.bias()));
  }

  /** x [B, C_in, T] to [B, C_out, T']. */
  NDArray forward(NDArray x) {
    NDArray y = Conv1d.conv1d(x, weight, bias, new Shape(block.stride()), new Shape(0), new Shape(1), 1)
        .singletonOrThrow();
    float eps = (float) Architecture.CONV_NORM_EPS;
    if (block.norm() == Architecture.ConvNorm.GROUP) {
      NDArray mean = y.mean(new int[] {2}, true);
      NDArray centred = y.sub(mean);
      NDArray variance = centred.square().mean(new int[] {2}, true);
      // The affine step runs channels-last so the parameters broadcast without being reshaped
      // (a reshape would create arrays in the parameters' manager on every forward).
      y = centred.div(variance.add(eps).sqrt())
          .swapAxes(1, 2)
          .mul(normWeight)
          .add(normBias)
          .swapAxes(1, 2);
    } else if (block.norm() == Architecture.ConvNorm.LAYER) {
      y = ai.djl.nn.norm.LayerNorm.layerNorm(
              y.swapAxes(1, 2), new Shape(block.out()), normWeight, normBias, eps)
          .singletonOrThrow()
          .swapAxes(1, 2);
    }
    return activation.apply(y);
  }
}
