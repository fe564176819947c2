package dev.icld.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
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
 * parameters.
 */
public final class FoundationModel implements AutoCloseable {
  /** The sample rate every wav2vec 2.0 family checkpoint is trained on. */
  public static final int SAMPLE_RATE = 16_000;

  private final ModelConfig config;
  private final JsonObject configJson;
  private final FeatureEncoder featureEncoder;
  private final FeatureProjection featureProjection;
  private final Encoder encoder;
  private final Map<String, NDArray> parameters;
  private final NDManager manager;
  private final LoadSummary loadSummary;

  private FoundationModel(ModelConfig config, JsonObject configJson, FeatureEncoder featureEncoder,
      FeatureProjection featureProjection, Encoder encoder, Map<String, NDArray> parameters,
      NDManager manager, LoadSummary loadSummary) {
    this.config = config;
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
    FeatureEncoder features = FeatureEncoder.load(weights, config);
    FeatureProjection projection = FeatureProjection.load(weights, config);
    Encoder encoder = Encoder.load(weights, config);
    // Hugging Face's masking embedding: unused by the forward pass, kept so that masked
    // prediction training can use it and a save writes it back.
    weights.takeOptional("masked_spec_embed", config.hiddenSize());
    return new FoundationModel(config, configJson, features, projection, encoder,
        weights.parameters(), weights.manager(), null);
  }

  /** The same model (sharing its parameters) with how it was loaded. */
  FoundationModel withSummary(LoadSummary summary) {
    return new FoundationModel(config, configJson, featureEncoder, featureProjection, encoder,
        parameters, manager, summary);
  }

  public ModelConfig config() {
    return config;
  }

  /** The config.json it was loaded from (fields this code ignores are kept for saving). */
  JsonObject configJson() {
    return configJson.deepCopy();
  }

  /** How it was loaded; null for a model built by {@link Checkpoints#randomlyInitialised}. */
  public LoadSummary loadSummary() {
    return loadSummary;
  }

  public int layerCount() {
    return encoder.layerCount();
  }

  /** Named parameters in Hugging Face's bare naming; the positional conv weight is folded. */
  public Map<String, NDArray> parameters() {
    return parameters;
  }

  /**
   * Names of the parameters that only transformer layer {@code layer} (0-based) uses: they take
   * no part in a forward pass that skips it. WavLM's shared position-bias table is stored under
   * layer 0's name but serves every layer, so it is never among them.
   */
  public Set<String> layerParameterNames(int layer) {
    if (layer < 0 || layer >= layerCount()) {
      throw new IllegalArgumentException("layer " + layer + " out of range 0.." + (layerCount() - 1));
    }
    String prefix = "encoder.layers." + layer + ".";
    Set<String> names = new LinkedHashSet<>();
    for (String name : parameters.keySet()) {
      if (name.startsWith(prefix) && !name.equals(RelativePositionBias.NAME)) {
        names.add(name);
      }
    }
    return names;
  }

  /** Names of the convolutional feature encoder's parameters (frozen in usual fine-tuning). */
  public Set<String> featureEncoderParameterNames() {
    Set<String> names = new LinkedHashSet<>();
    for (String name : parameters.keySet()) {
      if (name.startsWith("feature_extractor.")) {
        names.add(name);
      }
    }
    return names;
  }

  /** Parameter counts per component (feature encoder, projection, positional conv, each layer). */
  public Map<String, Long> parameterCounts() {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (Map.Entry<String, NDArray> p : parameters.entrySet()) {
      counts.merge(component(p.getKey()), p.getValue().size(), Long::sum);
    }
    return counts;
  }

  private static String component(String name) {
    String[] parts = name.split("\\.");
    if (parts[0].equals("encoder") && parts[1].equals("layers")) {
      return "encoder.layers." + parts[2];
    }
    if (parts[0].equals("encoder")) {
      return "encoder." + parts[1];
    }
    return parts[0];
  }

  /** Valid frames for {@code samples} valid samples. */
  public int frames(int samples) {
    return featureEncoder.outputLength(samples);
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
   * The part of a forward pass that every layer mask shares: the conv feature encoder and the
   * feature projection. Its output feeds {@link #encode} any number of times (one utterance under
   * several masks, or the layer selector's input computed once before choosing the mask).
   *
   * @param waveforms [B, S] at 16 kHz, zero-padded after each utterance's end
   * @param sampleLengths valid samples per utterance
   */
  public FrontEndOutput frontEnd(NDArray waveforms, int[] sampleLengths) {
    Shape shape = waveforms.getShape();
    if (shape.dimension() != 2 || shape.get(0) != sampleLengths.length) {
      throw new IllegalArgumentException("waveforms must be [batch, samples] with one length per "
          + "utterance, got " + shape + " and " + sampleLengths.length + " lengths");
    }
    NDArray features = featureEncoder.forward(waveforms);
    int[] frameLengths = new int[sampleLengths.length];
    for (int b = 0; b < sampleLengths.length; b++) {
      if (sampleLengths[b] < 0 || sampleLengths[b] > shape.get(1)) {
        throw new IllegalArgumentException("utterance " + b + " has " + sampleLengths[b]
            + " samples, outside 0.." + shape.get(1));
      }
      frameLengths[b] = featureEncoder.outputLength(sampleLengths[b]);
    }
    return new FrontEndOutput(features, featureProjection.forward(features), frameLengths);
  }

  /**
   * The transformer encoder on a front end's output, under {@code mask}; results belong to the
   * manager of the front end's arrays.
   */
  public ModelOutput encode(FrontEndOutput frontEnd, LayerMask mask) {
    List<NDArray> hidden = encoder.forward(frontEnd.projected(), frontEnd.frameLengths(), mask);
    NDArray last = encoder.finish(hidden.get(hidden.size() - 1));
    return new ModelOutput(frontEnd.features(), frontEnd.frameLengths(), hidden, last, mask);
  }

  @Override
  public void close() {
    manager.close();
  }
}
