package dev.icld.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A wav2vec 2.0 / HuBERT / WavLM backbone: conv feature encoder, feature projection and
 * transformer encoder, with its parameters as plain NDArrays (named as in Hugging Face's bare
 * model) so that training can attach gradients to them. Forward passes are plain NDArray math;
 * their results belong to the manager of the input waveforms. Obtain one from
 * {@link Checkpoints#load} or {@link Checkpoints#randomlyInitialised}; close it to free the
 * parameters. As a {@link BackboneEngine} it is the DJL engine.
 */
public final class FoundationModel implements BackboneEngine, AutoCloseable {
  /** The sample rate every wav2vec 2.0 family checkpoint is trained on. */
  public static final int SAMPLE_RATE = 16_000;
  /** Hugging Face's name of the learned embedding that replaces masked frames. */
  public static final String MASK_EMBEDDING = "masked_spec_embed";
  /** Its {@link #engineName()}: DJL, PyTorch eager. */
  public static final String ENGINE = "djl";

  private final ModelConfig config;
  private final Architecture architecture;
  private final JsonObject configJson;
  private final FeatureEncoder featureEncoder;
  private final FeatureProjection featureProjection;
  private final Encoder encoder;
  private final Map<String, NDArray> parameters;
  private final NDManager manager;
  private final LoadSummary loadSummary;

  private FoundationModel(ModelConfig config, Architecture architecture, JsonObject configJson,
      FeatureEncoder featureEncoder, FeatureProjection featureProjection, Encoder encoder,
      Map<String, NDArray> parameters, NDManager manager, LoadSummary loadSummary) {
    this.config = config;
    this.architecture = architecture;
    this.configJson = configJson;
    this.featureEncoder = featureEncoder;
    this.featureProjection = featureProjection;
    this.encoder = encoder;
    this.parameters = parameters;
    this.manager = manager;
    this.loadSummary = loadSummary;
  }

  /** Builds every component from {@code weights}; problems are left in {@code weights}. */
  static FoundationModel build(ModelConfig config, JsonObject configJson, WeightSource weights) {
    Architecture architecture = Architecture.of(config);
    FeatureEncoder features = FeatureEncoder.load(weights, architecture);
    FeatureProjection projection = FeatureProjection.load(weights, architecture.featureProjection());
    Encoder encoder = Encoder.load(weights, architecture);
    // Hugging Face's masking embedding: used only by forwardMasked (pretraining), kept so that
    // a save writes it back.
    weights.takeOptional(architecture.maskedSpecEmbed());
    return new FoundationModel(config, architecture, configJson, features, projection, encoder,
        weights.parameters(), weights.manager(), null);
  }

  /** The same model (sharing its parameters) with how it was loaded. */
  FoundationModel withSummary(LoadSummary summary) {
    return new FoundationModel(config, architecture, configJson, featureEncoder, featureProjection,
        encoder, parameters, manager, summary);
  }

  @Override
  public String engineName() {
    return ENGINE;
  }

  @Override
  public ModelConfig config() {
    return config;
  }

  /** The parts it was built from, with their parameter names. */
  public Architecture architecture() {
    return architecture;
  }

  /** The config.json it was loaded from (fields this code ignores are kept for saving). */
  JsonObject configJson() {
    return configJson.deepCopy();
  }

  /** How it was loaded; null for a model built by {@link Checkpoints#randomlyInitialised}. */
  public LoadSummary loadSummary() {
    return loadSummary;
  }

  @Override
  public int layerCount() {
    return encoder.layerCount();
  }

  /** Named parameters in Hugging Face's bare naming; the positional conv weight is folded. */
  public Map<String, NDArray> parameters() {
    return parameters;
  }

  /**
   * Names of the parameters that only transformer layer {@code layer} (0-based) uses: they take
   * no part in a forward pass that skips it (WavLM's shared position-bias table, stored under
   * layer 0's name, is a part of its own).
   */
  public Set<String> layerParameterNames(int layer) {
    if (layer < 0 || layer >= layerCount()) {
      throw new IllegalArgumentException("layer " + layer + " out of range 0.." + (layerCount() - 1));
    }
    return names(architecture.layers().get(layer).weights());
  }

  /** Names of the convolutional feature encoder's parameters (frozen in usual fine-tuning). */
  public Set<String> featureEncoderParameterNames() {
    return names(architecture.convWeights());
  }

  private static Set<String> names(List<Architecture.Weight> weights) {
    Set<String> names = new LinkedHashSet<>();
    weights.forEach(weight -> names.add(weight.name()));
    return names;
  }

  /** Parameter counts per part ({@link Architecture#components}), parts without any left out. */
  public Map<String, Long> parameterCounts() {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (Architecture.Component component : architecture.components()) {
      long count = 0;
      for (String name : component.parameterNames()) {
        NDArray parameter = parameters.get(name);
        count += parameter == null ? 0 : parameter.size();
      }
      if (count > 0) {
        counts.put(component.name(), count);
      }
    }
    return counts;
  }

  @Override
  public int frames(int samples) {
    return (int) architecture.frames(samples);
  }

  /** Zero-pads waveforms of different lengths into one [B, S] array of {@code target}. */
  public static NDArray padBatch(List<float[]> waveforms, NDManager target) {
    int longest = 0;
    for (float[] w : waveforms) {
      longest = Math.max(longest, w.length);
    }
    float[] padded = new float[waveforms.size() * longest];
    for (int b = 0; b < waveforms.size(); b++) {
      System.arraycopy(waveforms.get(b), 0, padded, b * longest, waveforms.get(b).length);
    }
    return target.create(padded, new Shape(waveforms.size(), longest));
  }

  /** Every layer runs. */
  public ModelOutput forward(NDArray waveforms, int[] sampleLengths) {
    return forward(waveforms, sampleLengths, LayerMask.all(layerCount()));
  }

  /**
   * @param waveforms [B, S] at 16 kHz, zero-padded after each utterance's end
   * @param sampleLengths valid samples per utterance
   * @param mask which layers run (inference form) or their per-utterance gates (training form)
   */
  public ModelOutput forward(NDArray waveforms, int[] sampleLengths, LayerMask mask) {
    return encode(frontEnd(waveforms, sampleLengths), mask);
  }

  /**
   * The forward pass of masked-prediction pretraining (HuBERT, wav2vec 2.0): the frames of
   * {@code timeMask} are replaced by the learned {@code masked_spec_embed} after the feature
   * projection, before the positional conv; and the conv feature encoder's gradient is multiplied
   * by {@code featureGradientScale} (fairseq's feature_grad_mult) while its output stays the same.
   *
   * @param timeMask [B][T] over the feature frames, true where a frame is masked
   * @param featureGradientScale in [0, 1]; 1 trains the conv encoder at full rate
   * @throws IllegalStateException when the model has no masked_spec_embed
   */
  public ModelOutput forwardMasked(NDArray waveforms, int[] sampleLengths, boolean[][] timeMask,
      double featureGradientScale) {
    if (!parameters.containsKey(MASK_EMBEDDING)) {
      throw new IllegalStateException("the model has no " + MASK_EMBEDDING
          + " parameter, which masked prediction needs");
    }
    if (featureGradientScale < 0 || featureGradientScale > 1) {
      throw new IllegalArgumentException(
          "feature gradient scale must be in [0, 1], got " + featureGradientScale);
    }
    return encode(frontEnd(waveforms, sampleLengths, timeMask, featureGradientScale),
        LayerMask.all(layerCount()));
  }

  /**
   * The part of a forward pass that every layer mask shares: the conv feature encoder and the
   * feature projection. Its output feeds {@link #encode} any number of times (one utterance under
   * several masks, or the layer selector's input computed once before choosing the mask).
   *
   * @param waveforms [B, S] at 16 kHz, zero-padded after each utterance's end
   * @param sampleLengths valid samples per utterance
   */
  @Override
  public FrontEndOutput frontEnd(NDArray waveforms, int[] sampleLengths) {
    return frontEnd(waveforms, sampleLengths, null, 1.0);
  }

  private FrontEndOutput frontEnd(NDArray waveforms, int[] sampleLengths, boolean[][] timeMask,
      double featureGradientScale) {
    Shape shape = waveforms.getShape();
    if (shape.dimension() != 2 || shape.get(0) != sampleLengths.length) {
      throw new IllegalArgumentException("waveforms must be [batch, samples] with one length per "
          + "utterance, got " + shape + " and " + sampleLengths.length + " lengths");
    }
    NDArray features = featureEncoder.forward(waveforms);
    if (featureGradientScale != 1.0) {
      // Same values, gradient scaled: s * f + (1 - s) * f with the second term detached.
      float scale = (float) featureGradientScale;
      features = features.mul(Scalar.of(features, scale))
          .add(features.stopGradient().mul(1 - scale));
    }
    int[] frameLengths = new int[sampleLengths.length];
    for (int b = 0; b < sampleLengths.length; b++) {
      if (sampleLengths[b] < 0 || sampleLengths[b] > shape.get(1)) {
        throw new IllegalArgumentException("utterance " + b + " has " + sampleLengths[b]
            + " samples, outside 0.." + shape.get(1));
      }
      frameLengths[b] = frames(sampleLengths[b]);
    }
    return frontEndFromFeatures(features, frameLengths, timeMask, null);
  }

  /**
   * The fixed cost before the first transformer layer as named steps: the feature encoder's, the
   * feature projection's, then the positional convolution (with the layer norm of post-LN models).
   * Applied in order to one unpadded utterance [1, S], they give the first layer's input
   * ({@link ModelOutput#hiddenStates()}' first).
   */
  public List<FrontEndStage> frontEndStages() {
    List<FrontEndStage> stages = new ArrayList<>(featureEncoder.stages());
    stages.addAll(featureProjection.stages());
    stages.add(new FrontEndStage(
        config.doStableLayerNorm() ? "positional conv" : "positional conv and layer norm",
        encoder::embedPositions));
    return List.copyOf(stages);
  }

  /**
   * The conv feature encoder alone: waveforms [B, S] (zero-padded) to features [B, T, C]. A frozen
   * encoder gives the same features for the same padded waveform on every epoch, so fine-tuning
   * computes them once and feeds them to {@link #frontEndFromFeatures}.
   */
  public NDArray featureEncoderOutput(NDArray waveforms) {
    if (waveforms.getShape().dimension() != 2) {
      throw new IllegalArgumentException(
          "waveforms must be [batch, samples], got " + waveforms.getShape());
    }
    return featureEncoder.forward(waveforms);
  }

  /**
   * The rest of the front end from conv features: the feature projection, then SpecAugment as
   * Hugging Face's {@code _mask_hidden_states} applies it in fine-tuning: the frames of {@code
   * timeMask} replaced by {@code masked_spec_embed} (by zeros in a model without one), then the
   * channels of {@code channelMask} zeroed in every frame.
   *
   * @param features [B, T, C] from {@link #featureEncoderOutput}
   * @param frameLengths valid frames per utterance ({@link #frames} of its samples)
   * @param timeMask [B][T], true where a frame is masked; null for none
   * @param channelMask [B][D] over the projected channels, true where one is zeroed; null for none
   */
  public FrontEndOutput frontEndFromFeatures(NDArray features, int[] frameLengths,
      boolean[][] timeMask, boolean[][] channelMask) {
    Shape shape = features.getShape();
    if (shape.dimension() != 3 || shape.get(0) != frameLengths.length) {
      throw new IllegalArgumentException("features must be [batch, frames, channels] with one "
          + "length per utterance, got " + shape + " and " + frameLengths.length + " lengths");
    }
    NDArray projected = featureProjection.forward(features);
    if (timeMask != null) {
      projected = replaceMasked(projected, timeMask);
    }
    if (channelMask != null) {
      projected = zeroChannels(projected, channelMask);
    }
    return new FrontEndOutput(features, projected, frameLengths);
  }

  /**
   * The transformer encoder on a front end's output, under {@code mask} (either form); results
   * belong to the manager of the front end's arrays.
   */
  @Override
  public ModelOutput encode(FrontEndOutput frontEnd, LayerMask mask) {
    List<NDArray> hidden = encoder.forward(frontEnd.projected(), frontEnd.frameLengths(), mask);
    NDArray last = encoder.finish(hidden.get(hidden.size() - 1));
    return new ModelOutput(frontEnd.features(), frontEnd.frameLengths(), hidden, last, mask);
  }

  /**
   * What the encoder would output if it stopped at {@code hiddenState} (one of
   * {@link ModelOutput#hiddenStates()}): pre-LN models normalise it with the final layer norm,
   * post-LN states are already normalised. Deep supervision reads intermediate layers this way.
   */
  public NDArray finish(NDArray hiddenState) {
    return encoder.finish(hiddenState);
  }

  /**
   * x [B, T, D] with the frames of {@code timeMask} replaced by the mask embedding, or by zeros
   * in a model without one.
   */
  private NDArray replaceMasked(NDArray x, boolean[][] timeMask) {
    int batch = (int) x.getShape().get(0);
    int frames = (int) x.getShape().get(1);
    NDArray m = x.getManager().create(flatten(timeMask, batch, frames, "time mask", "frames"),
        new Shape(batch, frames, 1));
    NDArray kept = x.mul(m.neg().add(1));
    NDArray embedding = parameters.get(MASK_EMBEDDING);
    return embedding == null ? kept : kept.add(m.mul(embedding));
  }

  /** x [B, T, D] with the channels of {@code channelMask} [B][D] zeroed in every frame. */
  private static NDArray zeroChannels(NDArray x, boolean[][] channelMask) {
    int batch = (int) x.getShape().get(0);
    int channels = (int) x.getShape().get(2);
    float[] zeroed = flatten(channelMask, batch, channels, "channel mask", "channels");
    for (int i = 0; i < zeroed.length; i++) {
      zeroed[i] = 1 - zeroed[i];
    }
    return x.mul(x.getManager().create(zeroed, new Shape(batch, 1, channels)));
  }

  /** A [batch][width] mask as 1 (true) and 0 (false), row after row. */
  private static float[] flatten(boolean[][] mask, int batch, int width, String what,
      String unit) {
    if (mask.length != batch) {
      throw new IllegalArgumentException(
          what + " has " + mask.length + " rows for a batch of " + batch);
    }
    float[] flat = new float[batch * width];
    for (int b = 0; b < batch; b++) {
      if (mask[b].length != width) {
        throw new IllegalArgumentException(what + " row " + b + " has " + mask[b].length + " "
            + unit + ", the features " + width);
      }
      for (int i = 0; i < width; i++) {
        flat[b * width + i] = mask[b][i] ? 1f : 0f;
      }
    }
    return flat;
  }

  @Override
  public void close() {
    manager.close();
  }
}
