package dev.icld.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a backbone is made of, read once from its config: the parts in the order a forward pass
 * runs them, each with its Hugging Face weight names and shapes, where the layer norms sit, the
 * activations, the conv kernels and strides, and WavLM's gated relative position bias. Field
 * names follow config.json and the state-dict keys.
 *
 * <p>Both builders read it: the DJL components of this package ({@link FoundationModel}) and the
 * ONNX graphs of {@code runtime.onnx}. Neither derives a weight name, a shape, a norm's place or
 * an activation from the config on its own. What stays with each engine is the arithmetic (NDArray
 * calls there, ONNX nodes here): writing that once would take an interpreter of its own, and the
 * parity tests keep the two in step.
 *
 * @param convLayers the conv stack ({@code feature_extractor.conv_layers.i}); empty for log-mel
 * @param logMel icld's fixed log-mel front end, or null for the conv stack
 * @param featureProjection conv features to the encoder width
 * @param maskedSpecEmbed the learned embedding of masked frames, optional in a checkpoint
 * @param posConvEmbed the positional conv embedding added before the layers
 * @param encoderLayerNorm before the layers in the post-LN form, after them in the pre-LN form
 * @param normPlacement the layer form, from do_stable_layer_norm
 * @param relativePositionBias WavLM's shared bias table, or null for wav2vec 2.0 and HuBERT
 * @param layers the transformer layers, in order
 */
public record Architecture(
    List<ConvBlock> convLayers,
    LogMelFrontEnd logMel,
    Projection featureProjection,
    Weight maskedSpecEmbed,
    PositionalConv posConvEmbed,
    NormWeights encoderLayerNorm,
    NormPlacement normPlacement,
    PositionBias relativePositionBias,
    List<Layer> layers) {

  /** Hugging Face's conv-stack norms use torch's default epsilon, not config.layer_norm_eps. */
  static final double CONV_NORM_EPS = 1e-5;

  public Architecture {
    convLayers = List.copyOf(convLayers);
    layers = List.copyOf(layers);
  }

  /** The description of {@code config}'s backbone (a few records; nothing is allocated). */
  public static Architecture of(ModelConfig config) {
    int d = config.hiddenSize();
    double eps = config.layerNormEps();
    List<ConvBlock> convLayers = new ArrayList<>();
    LogMelFrontEnd logMel = null;
    int channels;
    if (config.logMelFrontEnd()) {
      logMel = LogMelFrontEnd.of(config);
      channels = logMel.mels();
    } else {
      channels = 1;
      for (int i = 0; i < config.convDim().size(); i++) {
        ConvNorm norm = !config.groupNormFeatureEncoder() ? ConvNorm.LAYER
            : i == 0 ? ConvNorm.GROUP : ConvNorm.NONE;
        convLayers.add(new ConvBlock("feature_extractor.conv_layers." + i, channels,
            config.convDim().get(i), config.convKernel().get(i), config.convStride().get(i),
            config.convBias(), norm, config.featExtractActivation()));
        channels = config.convDim().get(i);
      }
    }
    // Only HuBERT configs can turn the projection's norm off.
    boolean projectionNorm = config.modelType() != ModelType.HUBERT || config.featProjLayerNorm();
    Projection projection = new Projection(
        projectionNorm ? new NormWeights("feature_projection.layer_norm", channels, eps) : null,
        new LinearWeights("feature_projection.projection", channels, d));
    NormPlacement placement = config.doStableLayerNorm() ? NormPlacement.PRE : NormPlacement.POST;
    boolean wavLm = config.modelType() == ModelType.WAVLM;
    List<Layer> layers = new ArrayList<>();
    for (int i = 0; i < config.numHiddenLayers(); i++) {
      String prefix = "encoder.layers." + i;
      String attention = prefix + ".attention";
      BiasGate gate = wavLm
          ? new BiasGate(new Weight(attention + ".gru_rel_pos_const", 1, config.numAttentionHeads(), 1, 1),
              new LinearWeights(attention + ".gru_rel_pos_linear", config.headDim(), BiasGate.LOGITS))
          : null;
      layers.add(new Layer(i, placement,
          new Attention(new LinearWeights(attention + ".q_proj", d, d),
              new LinearWeights(attention + ".k_proj", d, d),
              new LinearWeights(attention + ".v_proj", d, d),
              new LinearWeights(attention + ".out_proj", d, d),
              config.numAttentionHeads(), gate),
          new NormWeights(prefix + ".layer_norm", d, eps),
          new FeedForwardBlock(
              new LinearWeights(prefix + ".feed_forward.intermediate_dense", d, config.intermediateSize()),
              new LinearWeights(prefix + ".feed_forward.output_dense", config.intermediateSize(), d),
              config.hiddenAct()),
          new NormWeights(prefix + ".final_layer_norm", d, eps)));
    }
    PositionBias bias = wavLm
        ? new PositionBias(new Weight(PositionBias.TABLE, config.numBuckets(), config.numAttentionHeads()),
            config.numBuckets(), config.maxBucketDistance())
        : null;
    return new Architecture(convLayers, logMel, projection,
        new Weight(FoundationModel.MASK_EMBEDDING, d),
        new PositionalConv("encoder.pos_conv_embed.conv", d, config.numConvPosEmbeddings(),
            config.numConvPosEmbeddingGroups(), config.featExtractActivation()),
        new NormWeights("encoder.layer_norm", d, eps), placement, bias, layers);
  }

  /** Frames the front end makes of {@code samples} samples. */
  public long frames(long samples) {
    if (logMel != null) {
      return logMel.frames(samples);
    }
    long length = samples;
    for (ConvBlock block : convLayers) {
      length = block.outputLength(length);
    }
    return length;
  }

  /** The conv stack's parameters, block after block. */
  List<Weight> convWeights() {
    return convLayers.stream().flatMap(block -> block.weights().stream()).toList();
  }

  /**
   * Every part that owns parameters, in forward order; each parameter belongs to exactly one.
   * Parameter names are Hugging Face's state-dict keys, except that the positional conv's two
   * weight-norm halves become one folded weight at load ({@link PositionalConv}).
   */
  public List<Component> components() {
    List<Component> parts = new ArrayList<>();
    parts.add(Component.of("feature_extractor", convWeights()));
    parts.add(Component.of("feature_projection", featureProjection.weights()));
    parts.add(new Component(maskedSpecEmbed.name(), List.of(), List.of(maskedSpecEmbed),
        List.of(maskedSpecEmbed.name())));
    List<String> positionalStored = new ArrayList<>();
    Stream.of(posConvEmbed.stored(), posConvEmbed.storedParametrized(), List.of(posConvEmbed.bias()))
        .flatMap(List::stream).forEach(w -> positionalStored.add(w.name()));
    parts.add(new Component("encoder.pos_conv_embed", posConvEmbed.weights(), List.of(),
        positionalStored));
    parts.add(Component.of("encoder.layer_norm", encoderLayerNorm.weights()));
    if (relativePositionBias != null) {
      parts.add(Component.of("relative position bias", List.of(relativePositionBias.relAttnEmbed())));
    }
    for (Layer layer : layers) {
      parts.add(Component.of(layer.name(), layer.weights()));
    }
    return parts;
  }

  /**
   * A part of the backbone and the parameters it owns.
   *
   * @param name its Hugging Face module, or what it is where Hugging Face keeps it inside another
   *     (the key {@code icld inspect} counts it under)
   * @param weights parameters every checkpoint has
   * @param optional parameters a checkpoint may leave out
   * @param stored the checkpoint tensors that hold them, in any spelling a checkpoint may use
   */
  public record Component(String name, List<Weight> weights, List<Weight> optional,
      List<String> stored) {
    static Component of(String name, List<Weight> weights) {
      return new Component(name, weights, List.of(), weights.stream().map(Weight::name).toList());
    }

    /** The names of its parameters, optional ones included. */
    public List<String> parameterNames() {
      return Stream.concat(weights.stream(), optional.stream()).map(Weight::name).toList();
    }
  }

  /** A parameter: its state-dict name and shape. */
  public record Weight(String name, long... shape) {
    public long size() {
      return Arrays.stream(shape).reduce(1, Math::multiplyExact);
    }

    @Override
    public String toString() {
      return name + " " + Arrays.toString(shape);
    }
  }

  /** A torch.nn.Linear: {@code name.weight} [out, in] and {@code name.bias} [out]. */
  public record LinearWeights(String name, int in, int out) {
    public Weight weight() {
      return new Weight(name + ".weight", out, in);
    }

    public Weight bias() {
      return new Weight(name + ".bias", out);
    }

    List<Weight> weights() {
      return List.of(weight(), bias());
    }
  }

  /** A layer norm over the last axis: {@code name.weight} and {@code name.bias} [size]. */
  public record NormWeights(String name, int size, double eps) {
    public Weight weight() {
      return new Weight(name + ".weight", size);
    }

    public Weight bias() {
      return new Weight(name + ".bias", size);
    }

    List<Weight> weights() {
      return List.of(weight(), bias());
    }
  }

  /** Where a transformer layer normalises, and where the encoder's own layer norm goes. */
  public enum NormPlacement {
    /** wav2vec 2.0 / HuBERT Base: norm after each residual sum; encoder norm before the layers. */
    POST,
    /** Large ("stable layer norm"): norm before each sub-block; encoder norm after the layers. */
    PRE
  }

  /** The normalisation of one conv block (feat_extract_norm). */
  public enum ConvNorm {
    NONE,
    /** Group norm with one group per channel: each channel over time ("group": first block only). */
    GROUP,
    /** Layer norm of each frame over channels ("layer": every block). */
    LAYER
  }

  /** One conv block: Conv1d (no padding), its norm, then the activation. */
  public record ConvBlock(String name, int in, int out, int kernel, int stride, boolean convBias,
      ConvNorm norm, String activation) {
    public Weight conv() {
      return new Weight(name + ".conv.weight", out, in, kernel);
    }

    /** The conv's bias, or null when conv_bias is false. */
    public Weight bias() {
      return convBias ? new Weight(name + ".conv.bias", out) : null;
    }

    /** The norm's scale and shift (stored as {@code layer_norm} for either norm), or null. */
    public NormWeights layerNorm() {
      return norm == ConvNorm.NONE ? null : new NormWeights(name + ".layer_norm", out, CONV_NORM_EPS);
    }

    /** Frames out for {@code length} frames in (0 when the input is shorter than the kernel). */
    public long outputLength(long length) {
      return length < kernel ? 0 : (length - kernel) / stride + 1;
    }

    List<Weight> weights() {
      List<Weight> weights = new ArrayList<>(List.of(conv()));
      if (convBias) {
        weights.add(bias());
      }
      if (layerNorm() != null) {
        weights.addAll(layerNorm().weights());
      }
      return weights;
    }
  }

  /** The feature projection: layer norm (null when feat_proj_layer_norm is false), then linear. */
  public record Projection(NormWeights layerNorm, LinearWeights projection) {
    List<Weight> weights() {
      List<Weight> weights = new ArrayList<>();
      if (layerNorm != null) {
        weights.addAll(layerNorm.weights());
      }
      weights.addAll(projection.weights());
      return weights;
    }
  }

  /**
   * The grouped positional conv ("same" padding, an even kernel's extra frame dropped), then the
   * activation. Its parameter is the weight-norm weight folded, {@code name.weight} [D, D/G, K].
   */
  public record PositionalConv(String name, int hiddenSize, int numConvPosEmbeddings,
      int numConvPosEmbeddingGroups, String activation) {
    public Weight weight() {
      return new Weight(name + ".weight", hiddenSize, hiddenSize / numConvPosEmbeddingGroups,
          numConvPosEmbeddings);
    }

    public Weight bias() {
      return new Weight(name + ".bias", hiddenSize);
    }

    /**
     * How a checkpoint stores {@link #weight}: magnitude g [1, 1, K] and direction v [D, D/G, K],
     * named as every transformers version reads them (and as icld writes them).
     */
    public List<Weight> stored() {
      return List.of(new Weight(name + ".weight_g", 1, 1, numConvPosEmbeddings),
          new Weight(name + ".weight_v", weight().shape()));
    }

    /** {@link #stored} in torch's parametrization names, which newer transformers write. */
    public List<Weight> storedParametrized() {
      return List.of(new Weight(name + ".parametrizations.weight.original0", 1, 1, numConvPosEmbeddings),
          new Weight(name + ".parametrizations.weight.original1", weight().shape()));
    }

    List<Weight> weights() {
      return List.of(weight(), bias());
    }
  }

  /**
   * Multi-head self-attention with separate q/k/v/out projections.
   *
   * @param gate WavLM's gate on the shared position bias, or null
   */
  public record Attention(LinearWeights qProj, LinearWeights kProj, LinearWeights vProj,
      LinearWeights outProj, int numAttentionHeads, BiasGate gate) {
    List<Weight> weights() {
      List<Weight> weights = new ArrayList<>();
      Stream.of(qProj, kProj, vProj, outProj).forEach(p -> weights.addAll(p.weights()));
      if (gate != null) {
        weights.add(gate.gruRelPosConst());
        weights.addAll(gate.gruRelPosLinear().weights());
      }
      return weights;
    }
  }

  /**
   * WavLM's per-layer gate on the shared position bias: from each head's slice of the attention
   * input, gru_rel_pos_linear (head_dim to 8) summed in two groups of four gives a and b after a
   * sigmoid; a (b c - 1) + 2, with the per-head constant c, scales the bias row by row.
   */
  public record BiasGate(Weight gruRelPosConst, LinearWeights gruRelPosLinear) {
    static final int LOGITS = 8;

    /** Attention heads: one constant each. */
    public int heads() {
      return (int) gruRelPosConst.shape()[1];
    }
  }

  /** The position-wise feed-forward block: intermediate_dense, hidden_act, output_dense. */
  public record FeedForwardBlock(LinearWeights intermediateDense, LinearWeights outputDense,
      String hiddenAct) {
    List<Weight> weights() {
      return Stream.concat(intermediateDense.weights().stream(), outputDense.weights().stream())
          .toList();
    }
  }

  /**
   * One transformer layer: attention then feed-forward, each with a residual connection and a
   * layer norm placed as {@code placement} says ({@code layerNorm} goes with the attention,
   * {@code finalLayerNorm} with the feed-forward).
   */
  public record Layer(int index, NormPlacement placement, Attention attention,
      NormWeights layerNorm, FeedForwardBlock feedForward, NormWeights finalLayerNorm) {
    public String name() {
      return "encoder.layers." + index;
    }

    List<Weight> weights() {
      List<Weight> weights = new ArrayList<>(attention.weights());
      weights.addAll(layerNorm.weights());
      weights.addAll(feedForward.weights());
      weights.addAll(finalLayerNorm.weights());
      return weights;
    }
  }

  /**
   * WavLM's bucketed relative position bias, one table [num_buckets, heads] shared by every
   * layer. Hugging Face stores it in layer 0's attention; it is a part of its own here so that it
   * exists when layer 0 is skipped.
   */
  public record PositionBias(Weight relAttnEmbed, int numBuckets, int maxBucketDistance) {
    static final String TABLE = "encoder.layers.0.attention.rel_attn_embed.weight";
  }
}
