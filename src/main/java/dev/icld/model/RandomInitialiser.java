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

  private final Architecture architecture;
  private final long seed;

  RandomInitialiser(Architecture architecture, long seed) {
    this.architecture = architecture;
    this.seed = seed;
  }

  /** The initial values of the named tensor of the given shape. */
  TensorData tensor(String name, long[] shape) {
    Architecture.PositionalConv positional = architecture.posConvEmbed();
    String magnitude = positional.stored().get(0).name();
    String direction = positional.stored().get(1).name();
    if (name.equals(magnitude)) {
      return TensorData.f32(shape, positionalMagnitudes());
    }
    float[] values = new float[Math.toIntExact(Arrays.stream(shape).reduce(1, Math::multiplyExact))];
    Random random = randomFor(name);
    Architecture.ConvBlock conv = convBlockOf(name);
    Architecture.PositionBias bias = architecture.relativePositionBias();
    if (name.equals(direction)) {
      fillNormal(values, random, positionalStd());
    } else if (name.contains("layer_norm")) {
      if (name.endsWith(".weight")) {
        Arrays.fill(values, 1f);
      }
    } else if (conv != null) {
      double fanIn = (double) conv.in() * conv.kernel();
      if (name.equals(conv.conv().name())) {
        fillNormal(values, random, Math.sqrt(2.0 / fanIn));
      } else {
        fillUniform(values, random, Math.sqrt(1.0 / fanIn));
      }
    } else if (name.startsWith(architecture.featureProjection().projection().name() + ".")) {
      fillUniform(values, random, Math.sqrt(1.0 / architecture.featureProjection().projection().in()));
    } else if (name.equals(architecture.maskedSpecEmbed().name())) {
      for (int i = 0; i < values.length; i++) {
        values[i] = random.nextFloat();
      }
    } else if (name.endsWith(".gru_rel_pos_const")) {
      Arrays.fill(values, 1f);
    } else if (bias != null && name.equals(bias.relAttnEmbed().name())) {
      fillNormal(values, random, 1.0);
    } else if (name.endsWith(".weight")) {
      fillNormal(values, random, LINEAR_STD);
    }
    // Anything else is a linear or positional-conv bias, which starts at zero.
    return TensorData.f32(shape, values);
  }

  /** The conv block that owns the named tensor, or null. */
  private Architecture.ConvBlock convBlockOf(String name) {
    for (Architecture.ConvBlock block : architecture.convLayers()) {
      if (name.startsWith(block.name() + ".")) {
        return block;
      }
    }
    return null;
  }

  private double positionalStd() {
    Architecture.PositionalConv positional = architecture.posConvEmbed();
    return 2 * Math.sqrt(1.0 / ((double) positional.numConvPosEmbeddings() * positional.hiddenSize()));
  }

  /** The norm over dims 0 and 1 of the drawn direction [D, D/G, K], per kernel tap. */
  private float[] positionalMagnitudes() {
    Architecture.Weight direction = architecture.posConvEmbed().stored().get(1);
    int kernel = architecture.posConvEmbed().numConvPosEmbeddings();
    float[] drawn = new float[Math.toIntExact(direction.size())];
    fillNormal(drawn, randomFor(direction.name()), positionalStd());
    double[] sums = new double[kernel];
    for (int i = 0; i < drawn.length; i++) {
      sums[i % kernel] += (double) drawn[i] * drawn[i];
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
