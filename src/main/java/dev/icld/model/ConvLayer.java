package dev.icld.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv1d;

/**
 * One block of the convolutional feature encoder: Conv1d (no padding), an optional normalisation,
 * then the activation. The group-norm form normalises each channel over time (groups = channels),
 * the layer-norm form normalises each frame over channels.
 */
final class ConvLayer {
  /** Hugging Face's conv-stack norms use torch's default epsilon, not config.layer_norm_eps. */
  private static final float NORM_EPS = 1e-5f;

  enum Norm { NONE, GROUP, LAYER }

  private final NDArray weight;
  private final NDArray bias;
  private final Norm norm;
  private final NDArray normWeight;
  private final NDArray normBias;
  private final int kernel;
  private final int stride;
  private final ActivationFunction activation;

  private ConvLayer(NDArray weight, NDArray bias, Norm norm, NDArray normWeight, NDArray normBias,
      int kernel, int stride, ActivationFunction activation) {
    this.weight = weight;
    this.bias = bias;
    this.norm = norm;
    this.normWeight = normWeight;
    this.normBias = normBias;
    this.kernel = kernel;
    this.stride = stride;
    this.activation = activation;
  }

  static ConvLayer load(WeightSource weights, String name, int in, int out, int kernel, int stride,
      boolean withBias, Norm norm, ActivationFunction activation) {
    NDArray weight = weights.take(name + ".conv.weight", out, in, kernel);
    // DJL's convolution needs a bias array; a bias-free conv gets a constant zero one.
    NDArray bias = withBias
        ? weights.take(name + ".conv.bias", out)
        : weights.manager().zeros(new Shape(out));
    NDArray normWeight = null;
    NDArray normBias = null;
    if (norm != Norm.NONE) {
      normWeight = weights.take(name + ".layer_norm.weight", out);
      normBias = weights.take(name + ".layer_norm.bias", out);
    }
    return new ConvLayer(weight, bias, norm, normWeight, normBias, kernel, stride, activation);
  }

  /** Frames out for {@code length} frames in (0 when the input is shorter than the kernel). */
  int outputLength(int length) {
    return length < kernel ? 0 : (length - kernel) / stride + 1;
  }

  int kernel() {
    return kernel;
  }

  int stride() {
    return stride;
  }

  int inChannels() {
    return (int) weight.getShape().get(1);
  }

  int outChannels() {
    return (int) weight.getShape().get(0);
  }

  /** x [B, C_in, T] to [B, C_out, T']. */
  NDArray forward(NDArray x) {
    NDArray y = Conv1d.conv1d(x, weight, bias, new Shape(stride), new Shape(0), new Shape(1), 1)
        .singletonOrThrow();
    if (norm == Norm.GROUP) {
      NDArray mean = y.mean(new int[] {2}, true);
      NDArray centred = y.sub(mean);
      NDArray variance = centred.square().mean(new int[] {2}, true);
      // The affine step runs channels-last so the parameters broadcast without being reshaped
      // (a reshape would create arrays in the parameters' manager on every forward).
      y = centred.div(variance.add(NORM_EPS).sqrt())
          .swapAxes(1, 2)
          .mul(normWeight)
          .add(normBias)
          .swapAxes(1, 2);
    } else if (norm == Norm.LAYER) {
      y = ai.djl.nn.norm.LayerNorm.layerNorm(
              y.swapAxes(1, 2), new Shape(outChannels()), normWeight, normBias, NORM_EPS)
          .singletonOrThrow()
          .swapAxes(1, 2);
    }
    return activation.apply(y);
  }
}
