package dev.icld.model;

/**
 * Analytical compute of one forward pass over an utterance of {@code seconds} of 16 kHz audio,
 * per component. Counts multiply-accumulates of convolutions, linear maps and the attention
 * products as 2 FLOPs each; normalisations, activations, softmax, residual sums and WavLM's
 * position-bias lookup (element-wise, a few percent at most) are not counted. Per layer, with T
 * frames, width D, feed-forward width F: projections 8·T·D², attention scores and weighted sum
 * 4·T²·D, feed-forward 4·T·D·F, and for WavLM the position-bias gate 16·T·D. Attention's T² term
 * makes the cost per second grow with utterance length, so it is always quoted for a stated
 * length.
 *
 * @param seconds the utterance length the counts are for
 * @param frames encoder frames T for that length
 * @param featureEncoder the conv stack, or the log-mel DFT and filters
 * @param featureProjection layer norm + linear to the encoder width (the linear part)
 * @param positionalConv the grouped positional convolution
 * @param perLayer one transformer layer (all layers of a model cost the same)
 * @param layers the number of layers L
 */
public record Flops(
    double seconds,
    int frames,
    long featureEncoder,
    long featureProjection,
    long positionalConv,
    long perLayer,
    int layers) {

  /** The counts for {@code config} on an utterance of {@code seconds}. */
  public static Flops of(ModelConfig config, double seconds) {
    if (!(seconds > 0)) {
      throw new IllegalArgumentException("seconds must be positive, got " + seconds);
    }
    Architecture architecture = Architecture.of(config);
    long length = Math.round(seconds * FoundationModel.SAMPLE_RATE);
    long conv = 0;
    if (architecture.logMel() != null) {
      length = architecture.logMel().frames(length);
      conv = architecture.logMel().flopsPerFrame() * length;
    } else {
      for (Architecture.ConvBlock block : architecture.convLayers()) {
        length = block.outputLength(length);
        conv += 2L * block.in() * block.kernel() * block.out() * length;
      }
    }
    long t = length;
    long d = config.hiddenSize();
    long projection = 2L * architecture.featureProjection().projection().in() * d * t;
    long kernel = config.numConvPosEmbeddings();
    // "Same" padding computes one extra frame for an even kernel, which is then dropped.
    long positionalFrames = t == 0 ? 0 : t + 2 * (kernel / 2) - kernel + 1;
    long positional = 2 * (d / config.numConvPosEmbeddingGroups()) * kernel * d * positionalFrames;
    long layer = 8 * t * d * d + 4 * t * t * d + 4 * t * d * config.intermediateSize();
    if (config.modelType() == ModelType.WAVLM) {
      layer += 16 * t * d;
    }
    return new Flops(seconds, (int) t, conv, projection, positional, layer, config.numHiddenLayers());
  }

  /** Everything before the transformer layers. */
  public long frontEnd() {
    return featureEncoder + featureProjection + positionalConv;
  }

  /** The whole model with {@code keptLayers} of its layers executed. */
  public long total(int keptLayers) {
    if (keptLayers < 0 || keptLayers > layers) {
      throw new IllegalArgumentException("kept layers must be in 0.." + layers + ", got " + keptLayers);
    }
    return frontEnd() + keptLayers * perLayer;
  }

  /** The whole model under {@code mask}. */
  public long total(LayerMask mask) {
    return total(mask.executedCount());
  }

  /** GFLOPs per second of audio with {@code keptLayers} layers executed. */
  public double gigaFlopsPerSecond(int keptLayers) {
    return total(keptLayers) / seconds / 1e9;
  }
}
