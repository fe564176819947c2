package dev.icld.model;

import dev.icld.model.io.TensorData;
import java.util.Arrays;
import java.util.Random;

/**
 * Fresh weights for a backbone, following Hugging Face's initialisation of wav2vec 2.0 / HuBERT /
 * WavLM: linear weights normal(0, 0.02) with zero biases; feature-encoder convs Kaiming-normal
 * (fan-in, ReLU gain) with biases uniform in +-sqrt(1 / fan-in); the feature projection uniform
 * in +-sqrt(1 / fan-in); norms scale 1, shift 0; the positional conv normal(0, 2 sqrt(1 / (K D)))
 * stored weight-normalised with a magnitude equal to the direction's norm (so the effective weight
 * is the drawn one); the masking embedding uniform in [0, 1); WavLM's bucket table normal(0, 1)
 * (torch's embedding default) and its gate constants 1.
 *
 * <p>Each tensor draws from its own {@link Random} seeded from (seed, tensor name), so the values
 * depend only on the seed and the name, never on the order in which components ask for them.
 */
final class RandomInitialiser {
  private static final double LINEAR_STD = 0.02;
  private static final String CONV_PREFIX = "feature_extractor.conv_layers.";

  private final ModelConfig config;
  private final long seed;

  RandomInitialiser(ModelConfig config, long seed) {
    this.config = config;
    this.seed = seed;
  }

  /** The initial values of the named tensor of the given shape. */
  TensorData tensor(String name, long[] shape) {
    if (name.equals(PositionalConvEmbedding.PREFIX + "weight_g")) {
      return TensorData.f32(shape, positionalMagnitudes());
    }
    float[] values = new float[Math.toIntExact(Arrays.stream(shape).reduce(1, Math::multiplyExact))];
    Random random = randomFor(name);
    if (name.equals(PositionalConvEmbedding.PREFIX + "weight_v")) {
      fillNormal(values, random, positionalStd());
    } else if (name.contains("layer_norm")) {
      if (name.endsWith(".weight")) {
        Arrays.fill(values, 1f);
      }
    } else if (name.startsWith(CONV_PREFIX)) {
      int layer = Integer.parseInt(name.substring(CONV_PREFIX.length()).split("\\.")[0]);
      int in = layer == 0 ? 1 : config.convDim().get(layer - 1);
      double fanIn = (double) in * config.convKernel().get(layer);
      if (name.endsWith(".weight")) {
        fillNormal(values, random, Math.sqrt(2.0 / fanIn));
      } else {
        fillUniform(values, random, Math.sqrt(1.0 / fanIn));
      }
    } else if (name.startsWith("feature_projection.projection.")) {
      fillUniform(values, random, Math.sqrt(1.0 / config.convDim().get(config.convDim().size() - 1)));
    } else if (name.equals("masked_spec_embed")) {
      for (int i = 0; i < values.length; i++) {
        values[i] = random.nextFloat();
      }
    } else if (name.endsWith(".gru_rel_pos_const")) {
      Arrays.fill(values, 1f);
    } else if (name.equals(RelativePositionBias.NAME)) {
      fillNormal(values, random, 1.0);
    } else if (name.endsWith(".weight")) {
      fillNormal(values, random, LINEAR_STD);
    }
    // Anything else is a linear or positional-conv bias, which starts at zero.
    return TensorData.f32(shape, values);
  }

  private double positionalStd() {
    return 2 * Math.sqrt(1.0 / ((double) config.numConvPosEmbeddings() * config.hiddenSize()));
  }

  /** The norm over dims 0 and 1 of the drawn direction [D, D/G, K], per kernel tap. */
  private float[] positionalMagnitudes() {
    int d = config.hiddenSize();
    int kernel = config.numConvPosEmbeddings();
    int perGroup = d / config.numConvPosEmbeddingGroups();
    float[] direction = new float[d * perGroup * kernel];
    fillNormal(direction, randomFor(PositionalConvEmbedding.PREFIX + "weight_v"), positionalStd());
    double[] sums = new double[kernel];
    for (int i = 0; i < direction.length; i++) {
      sums[i % kernel] += (double) direction[i] * direction[i];
    }
    float[] norms = new float[kernel];
    for (int k = 0; k < kernel; k++) {
      norms[k] = (float) Math.sqrt(sums[k]);
    }
    return norms;
  }

  private Random randomFor(String name) {
    return new Random(seed * 0x9E3779B97F4A7C15L + name.hashCode());
  }

  private static void fillNormal(float[] values, Random random, double std) {
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (random.nextGaussian() * std);
    }
  }

  private static void fillUniform(float[] values, Random random, double bound) {
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (bound * (2 * random.nextDouble() - 1));
    }
  }
}
