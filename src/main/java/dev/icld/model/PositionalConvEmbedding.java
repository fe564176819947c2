package dev.icld.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv1d;
import java.util.Arrays;
import java.util.List;

/**
 * The convolutional relative positional embedding ({@link Architecture.PositionalConv}): a grouped
 * Conv1d over time ("same" padding, the extra frame of an even kernel removed), then the
 * activation. Checkpoints store its weight weight-normalised over dim 2 (magnitude g, direction
 * v); it is folded to w = g * v / ||v|| at load, where the norm runs over dims 0 and 1 for each
 * kernel tap.
 */
final class PositionalConvEmbedding {
  private final NDArray weight;
  private final NDArray bias;
  private final int kernel;
  private final int groups;
  private final ActivationFunction activation;

  private PositionalConvEmbedding(
      NDArray weight, NDArray bias, int kernel, int groups, ActivationFunction activation) {
    this.weight = weight;
    this.bias = bias;
    this.kernel = kernel;
    this.groups = groups;
    this.activation = activation;
  }

  static PositionalConvEmbedding load(WeightSource weights, Architecture.PositionalConv conv) {
    List<Architecture.Weight> older = conv.stored();
    List<Architecture.Weight> newer = conv.storedParametrized();
    // Older transformers name the weight-norm halves weight_g/weight_v, newer ones use torch's
    // parametrization names; both load.
    List<Architecture.Weight> halves =
        weights.contains(older.get(0).name()) || !weights.contains(newer.get(0).name())
            ? older : newer;
    NDArray magnitude = weights.read(halves.get(0));
    NDArray direction = weights.read(halves.get(1));
    NDArray weight;
    if (magnitude == null || direction == null) {
      for (int i = 0; i < 2; i++) {
        if (!weights.contains(halves.get(i).name())) {
          weights.recordMissing(older.get(i).name() + " (or " + newer.get(i).name() + ") "
              + Arrays.toString(older.get(i).shape()));
        }
      }
      weight = weights.manager().zeros(new Shape(conv.weight().shape()));
    } else {
      weight = direction.mul(magnitude.div(direction.norm(new int[] {0, 1}, true)));
    }
    weights.register(conv.weight().name(), weight);
    NDArray bias = weights.take(conv.bias());
    return new PositionalConvEmbedding(weight, bias, conv.numConvPosEmbeddings(),
        conv.numConvPosEmbeddingGroups(), ActivationFunction.named(conv.activation()));
  }

  /** The weight-norm halves {g, v} of a folded weight, as {@link Architecture.PositionalConv#stored}. */
  static NDArray[] weightNormParts(NDArray weight) {
    return new NDArray[] {weight.norm(new int[] {0, 1}, true), weight};
  }

  /** x [B, T, D] to the positional embedding [B, T, D]. */
  NDArray forward(NDArray x) {
    long frames = x.getShape().get(1);
    NDArray y = Conv1d.conv1d(x.swapAxes(1, 2), weight, bias, new Shape(1),
            new Shape(kernel / 2), new Shape(1), groups)
        .singletonOrThrow();
    if (kernel % 2 == 0) {
      y = y.get(new NDIndex(":, :, :{}", frames));
    }
    return activation.apply(y).swapAxes(1, 2);
  }
}
