package dev.icld.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv1d;

/**
 * The convolutional relative positional embedding: a grouped Conv1d over time ("same" padding,
 * the extra frame of an even kernel removed), then the activation. Checkpoints store its weight
 * weight-normalised over dim 2 (magnitude g [1, 1, K], direction v [D, D/G, K]); it is folded to
 * w = g * v / ||v|| at load, where the norm runs over dims 0 and 1 for each kernel tap.
 */
final class PositionalConvEmbedding {
  static final String PREFIX = "encoder.pos_conv_embed.conv.";
  static final String WEIGHT = PREFIX + "weight";
  private static final String[] OLD_NAMES = {PREFIX + "weight_g", PREFIX + "weight_v"};
  private static final String[] NEW_NAMES = {
    PREFIX + "parametrizations.weight.original0", PREFIX + "parametrizations.weight.original1"
  };

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

  static PositionalConvEmbedding load(WeightSource weights, ModelConfig config) {
    int d = config.hiddenSize();
    int kernel = config.numConvPosEmbeddings();
    int groups = config.numConvPosEmbeddingGroups();
    // Older transformers name the weight-norm halves weight_g/weight_v, newer ones use torch's
    // parametrization names; both load.
    String[] names = weights.contains(OLD_NAMES[0]) || !weights.contains(NEW_NAMES[0])
        ? OLD_NAMES : NEW_NAMES;
    NDArray magnitude = weights.read(names[0], 1, 1, kernel);
    NDArray direction = weights.read(names[1], d, d / groups, kernel);
    NDArray weight;
    if (magnitude == null || direction == null) {
      for (int i = 0; i < 2; i++) {
        if (!weights.contains(names[i])) {
          weights.recordMissing(OLD_NAMES[i] + " (or " + NEW_NAMES[i] + ") "
              + (i == 0 ? "[1, 1, " + kernel + "]" : "[" + d + ", " + d / groups + ", " + kernel + "]"));
        }
      }
      weight = weights.manager().zeros(new Shape(d, d / groups, kernel));
    } else {
      weight = direction.mul(magnitude.div(direction.norm(new int[] {0, 1}, true)));
    }
    weights.register(WEIGHT, weight);
    NDArray bias = weights.take(PREFIX + "bias", d);
    return new PositionalConvEmbedding(weight, bias, kernel, groups,
        ActivationFunction.named(config.featExtractActivation()));
  }

  /** The weight-norm halves {g, v} of a folded weight, as Hugging Face checkpoints store them. */
  static NDArray[] weightNormParts(NDArray weight) {
    return new NDArray[] {weight.norm(new int[] {0, 1}, true), weight};
  }

  /** Checkpoint names of {@link #weightNormParts} (the names every transformers version reads). */
  static String[] weightNormNames() {
    return OLD_NAMES.clone();
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
