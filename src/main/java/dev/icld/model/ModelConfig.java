package dev.icld.model;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The architecture of a wav2vec 2.0, HuBERT or WavLM encoder. Field names mirror Hugging Face's
 * config.json (camelCase here, snake_case in the file); fields the encoder does not use (dropouts,
 * vocabulary, masking probabilities) are ignored when reading and preserved when saving.
 */
public record ModelConfig(
    ModelType modelType,
    int hiddenSize,
    int numHiddenLayers,
    int numAttentionHeads,
    int intermediateSize,
    String hiddenAct,
    String featExtractActivation,
    List<Integer> convDim,
    List<Integer> convKernel,
    List<Integer> convStride,
    boolean convBias,
    String featExtractNorm,
    int numConvPosEmbeddings,
    int numConvPosEmbeddingGroups,
    boolean doStableLayerNorm,
    double layerNormEps,
    boolean featProjLayerNorm,
    int numBuckets,
    int maxBucketDistance,
    String featExtractType) {

  /** Hugging Face's front end, a stack of conv layers on the raw waveform. */
  public static final String CONV_FRONT_END = "conv";
  /**
   * icld's front end (not a Hugging Face field): fixed log-mel filterbanks, one frame per window of
   * conv_kernel[0] samples every conv_stride[0] samples, conv_dim[0] mel bins.
   */
  public static final String LOG_MEL_FRONT_END = "log_mel";

  /** Activations this implementation computes; anything else is refused when the config is read. */
  static final Set<String> ACTIVATIONS = Set.of("gelu", "relu");

  // Bounds on every dimension, far above any published checkpoint (XLS-R 2B: hidden_size 1920, 48
  // layers, intermediate_size 7680), so that a corrupt or hostile config.json is refused here,
  // naming the field, instead of reaching native code as a huge or zero shape.
  static final int MAX_HIDDEN_SIZE = 8192;
  static final int MAX_LAYERS = 256;
  static final int MAX_ATTENTION_HEADS = 256;
  static final int MAX_INTERMEDIATE_SIZE = 65536;
  static final int MAX_CONV_LAYERS = 32;
  static final int MAX_CONV_DIM = 8192;
  static final int MAX_CONV_KERNEL = 4096;
  static final int MAX_CONV_STRIDE = 1024;
  static final int MAX_POSITIONAL_KERNEL = 1024;
  static final int MAX_BUCKETS = 4096;
  static final int MAX_BUCKET_DISTANCE = 100_000;

  /** A Hugging Face architecture: the conv front end. */
  public ModelConfig(ModelType modelType, int hiddenSize, int numHiddenLayers,
      int numAttentionHeads, int intermediateSize, String hiddenAct, String featExtractActivation,
      List<Integer> convDim, List<Integer> convKernel, List<Integer> convStride, boolean convBias,
      String featExtractNorm, int numConvPosEmbeddings, int numConvPosEmbeddingGroups,
      boolean doStableLayerNorm, double layerNormEps, boolean featProjLayerNorm, int numBuckets,
      int maxBucketDistance) {
    this(modelType, hiddenSize, numHiddenLayers, numAttentionHeads, intermediateSize, hiddenAct,
        featExtractActivation, convDim, convKernel, convStride, convBias, featExtractNorm,
        numConvPosEmbeddings, numConvPosEmbeddingGroups, doStableLayerNorm, layerNormEps,
        featProjLayerNorm, numBuckets, maxBucketDistance, CONV_FRONT_END);
  }

  public ModelConfig {
    convDim = List.copyOf(convDim);
    convKernel = List.copyOf(convKernel);
    convStride = List.copyOf(convStride);
    List<String> problems = new ArrayList<>();
    if (convDim.isEmpty()
        || convDim.size() != convKernel.size()
        || convDim.size() != convStride.size()) {
      problems.add("conv_dim, conv_kernel and conv_stride must be non-empty and of equal length, got "
          + convDim.size() + ", " + convKernel.size() + ", " + convStride.size());
    }
    if (convDim.size() > MAX_CONV_LAYERS) {
      problems.add("conv_dim has " + convDim.size() + " layers, at most " + MAX_CONV_LAYERS
          + " are supported");
    }
    checkEach(problems, "conv_dim", convDim, MAX_CONV_DIM);
    checkEach(problems, "conv_kernel", convKernel, MAX_CONV_KERNEL);
    checkEach(problems, "conv_stride", convStride, MAX_CONV_STRIDE);
    checkRange(problems, "hidden_size", hiddenSize, 1, MAX_HIDDEN_SIZE);
    checkRange(problems, "num_hidden_layers", numHiddenLayers, 0, MAX_LAYERS);
    checkRange(problems, "num_attention_heads", numAttentionHeads, 1, MAX_ATTENTION_HEADS);
    checkRange(problems, "intermediate_size", intermediateSize, 1, MAX_INTERMEDIATE_SIZE);
    checkRange(problems, "num_conv_pos_embeddings", numConvPosEmbeddings, 1, MAX_POSITIONAL_KERNEL);
    checkRange(problems, "num_conv_pos_embedding_groups", numConvPosEmbeddingGroups, 1,
        MAX_HIDDEN_SIZE);
    if (!(layerNormEps > 0 && layerNormEps < 1)) {
      problems.add("layer_norm_eps must be a small positive number, got " + layerNormEps);
    }
    if (featExtractType.equals(LOG_MEL_FRONT_END)) {
      if (convDim.size() != 1 || convKernel.size() != 1 || convStride.size() != 1
          || convKernel.get(0) < 2 || convStride.get(0) < 1
          || convDim.get(0) < 1 || convDim.get(0) > LogMelFrontEnd.fftSize(convKernel.get(0)) / 2 + 1) {
        problems.add("a log_mel front end needs one conv_dim (mel bins), conv_kernel (window, at "
            + "least 2 samples) and conv_stride (hop), and no more mel bins than frequency bins; got "
            + convDim + ", " + convKernel + ", " + convStride);
      }
    } else if (!featExtractType.equals(CONV_FRONT_END)) {
      problems.add("feat_extract_type must be \"" + CONV_FRONT_END + "\" or \"" + LOG_MEL_FRONT_END
          + "\", got \"" + featExtractType + "\"");
    }
    if (hiddenSize > 0 && numAttentionHeads > 0 && hiddenSize % numAttentionHeads != 0) {
      problems.add("hidden_size " + hiddenSize + " must be a positive multiple of num_attention_heads "
          + numAttentionHeads);
    }
    if (!featExtractNorm.equals("group") && !featExtractNorm.equals("layer")) {
      problems.add("feat_extract_norm must be \"group\" or \"layer\", got \"" + featExtractNorm + "\"");
    }
    if (!ACTIVATIONS.contains(hiddenAct)) {
      problems.add("hidden_act \"" + hiddenAct + "\" is not supported " + ACTIVATIONS);
    }
    if (!ACTIVATIONS.contains(featExtractActivation)) {
      problems.add("feat_extract_activation \"" + featExtractActivation + "\" is not supported "
          + ACTIVATIONS);
    }
    if (numConvPosEmbeddingGroups > 0 && hiddenSize % numConvPosEmbeddingGroups != 0) {
      problems.add("hidden_size must be a multiple of num_conv_pos_embedding_groups "
          + numConvPosEmbeddingGroups);
    }
    if (modelType == ModelType.WAVLM) {
      int before = problems.size();
      checkRange(problems, "num_buckets", numBuckets, 4, MAX_BUCKETS);
      checkRange(problems, "max_bucket_distance", maxBucketDistance, 1, MAX_BUCKET_DISTANCE);
      if (problems.size() == before && maxBucketDistance <= numBuckets / 4) {
        problems.add("max_bucket_distance " + maxBucketDistance + " must exceed num_buckets / 4 = "
            + numBuckets / 4);
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }

  private static void checkRange(List<String> problems, String field, int value, int min, int max) {
    if (value < min || value > max) {
      problems.add(field + " must be in " + min + ".." + max + ", got " + value);
    }
  }

  private static void checkEach(List<String> problems, String field, List<Integer> values, int max) {
    for (int i = 0; i < values.size(); i++) {
      checkRange(problems, field + "[" + i + "]", values.get(i), 1, max);
    }
  }

  /** Whether the front end is icld's log-mel filterbanks rather than a conv stack. */
  public boolean logMelFrontEnd() {
    return featExtractType.equals(LOG_MEL_FRONT_END);
  }

  public boolean groupNormFeatureEncoder() {
    return featExtractNorm.equals("group");
  }

  public int headDim() {
    return hiddenSize / numAttentionHeads;
  }

  /** The layer form: post-LN (Base checkpoints) or pre-LN with stable layer norm (Large). */
  public String variant() {
    return doStableLayerNorm ? "pre-LN (stable layer norm)" : "post-LN";
  }

  /** Reads a config.json text; {@code source} names the file in error messages. */
  public static ModelConfig fromJson(String json, String source) {
    JsonObject o;
    try {
      JsonElement parsed = JsonParser.parseString(json);
      if (!parsed.isJsonObject()) {
        throw new IllegalArgumentException(source + ": config is not a JSON object");
      }
      o = parsed.getAsJsonObject();
    } catch (JsonParseException e) {
      throw new IllegalArgumentException(source + ": invalid JSON: " + e.getMessage());
    }
    Fields f = new Fields(o);
    String type = f.string("model_type", null);
    int hidden = f.integer("hidden_size", null);
    int layers = f.integer("num_hidden_layers", null);
    int heads = f.integer("num_attention_heads", null);
    int intermediate = f.integer("intermediate_size", null);
    List<Integer> convDim = f.integers("conv_dim");
    List<Integer> convKernel = f.integers("conv_kernel");
    List<Integer> convStride = f.integers("conv_stride");
    String hiddenAct = f.string("hidden_act", "gelu");
    String featAct = f.string("feat_extract_activation", "gelu");
    boolean convBias = f.bool("conv_bias", false);
    String norm = f.string("feat_extract_norm", "group");
    int posKernel = f.integer("num_conv_pos_embeddings", 128);
    int posGroups = f.integer("num_conv_pos_embedding_groups", 16);
    boolean stable = f.bool("do_stable_layer_norm", false);
    double eps = f.number("layer_norm_eps", 1e-5);
    boolean projNorm = f.bool("feat_proj_layer_norm", true);
    int buckets = f.integer("num_buckets", 320);
    int maxDistance = f.integer("max_bucket_distance", 800);
    String frontEnd = f.string("feat_extract_type", CONV_FRONT_END);
    if (!f.problems.isEmpty()) {
      throw new IllegalArgumentException(source + ": " + String.join("; ", f.problems));
    }
    try {
      return new ModelConfig(ModelType.fromId(type), hidden, layers, heads, intermediate, hiddenAct,
          featAct, convDim, convKernel, convStride, convBias, norm, posKernel, posGroups, stable, eps,
          projNorm, buckets, maxDistance, frontEnd);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(source + ": " + e.getMessage());
    }
  }

  /**
   * This config as Hugging Face config.json fields, written over {@code base} (the file it was
   * read from) so that fields this class ignores survive a save.
   */
  public JsonObject toJson(JsonObject base) {
    JsonObject o = base == null ? new JsonObject() : base.deepCopy();
    JsonArray architectures = new JsonArray();
    architectures.add(modelType.architecture());
    o.add("architectures", architectures);
    o.addProperty("model_type", modelType.id());
    o.addProperty("hidden_size", hiddenSize);
    o.addProperty("num_hidden_layers", numHiddenLayers);
    o.addProperty("num_attention_heads", numAttentionHeads);
    o.addProperty("intermediate_size", intermediateSize);
    o.addProperty("hidden_act", hiddenAct);
    o.addProperty("feat_extract_activation", featExtractActivation);
    o.add("conv_dim", array(convDim));
    o.add("conv_kernel", array(convKernel));
    o.add("conv_stride", array(convStride));
    o.addProperty("conv_bias", convBias);
    o.addProperty("feat_extract_norm", featExtractNorm);
    o.addProperty("num_conv_pos_embeddings", numConvPosEmbeddings);
    o.addProperty("num_conv_pos_embedding_groups", numConvPosEmbeddingGroups);
    o.addProperty("do_stable_layer_norm", doStableLayerNorm);
    o.addProperty("layer_norm_eps", layerNormEps);
    if (modelType == ModelType.HUBERT) {
      o.addProperty("feat_proj_layer_norm", featProjLayerNorm);
    }
    if (logMelFrontEnd()) {
      o.addProperty("feat_extract_type", featExtractType);
    } else {
      o.remove("feat_extract_type");
    }
    if (modelType == ModelType.WAVLM) {
      o.addProperty("num_buckets", numBuckets);
      o.addProperty("max_bucket_distance", maxBucketDistance);
    }
    return o;
  }

  private static JsonArray array(List<Integer> values) {
    JsonArray a = new JsonArray();
    values.forEach(a::add);
    return a;
  }

  /** Typed access to config fields that collects every problem instead of stopping at the first. */
  private static final class Fields {
    final JsonObject o;
    final List<String> problems = new ArrayList<>();

    Fields(JsonObject o) {
      this.o = o;
    }

    private JsonElement required(String name, Object fallback) {
      JsonElement e = o.get(name);
      if ((e == null || e.isJsonNull()) && fallback == null) {
        problems.add("missing required field \"" + name + "\"");
        return null;
      }
      return e == null || e.isJsonNull() ? null : e;
    }

    String string(String name, String fallback) {
      JsonElement e = required(name, fallback);
      if (e == null) {
        return fallback;
      }
      if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
        problems.add("\"" + name + "\" must be a string, got " + e);
        return fallback;
      }
      return e.getAsString();
    }

    int integer(String name, Integer fallback) {
      JsonElement e = required(name, fallback);
      if (e == null) {
        return fallback == null ? 0 : fallback;
      }
      if (!isInt(e)) {
        problems.add("\"" + name + "\" must be an integer, got " + e);
        return 0;
      }
      return e.getAsInt();
    }

    /**
     * A whole number within int's range. Gson's getAsInt silently truncates 2.5 and wraps
     * 4294967297 to 1, so both are checked on the double first.
     */
    private static boolean isInt(JsonElement e) {
      if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
        return false;
      }
      double value = e.getAsDouble();
      return value == Math.rint(value) && value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE;
    }

    double number(String name, double fallback) {
      JsonElement e = required(name, fallback);
      if (e == null) {
        return fallback;
      }
      if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
        problems.add("\"" + name + "\" must be a number, got " + e);
        return fallback;
      }
      return e.getAsDouble();
    }

    boolean bool(String name, boolean fallback) {
      JsonElement e = required(name, fallback);
      if (e == null) {
        return fallback;
      }
      if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
        problems.add("\"" + name + "\" must be true or false, got " + e);
        return fallback;
      }
      return e.getAsBoolean();
    }

    List<Integer> integers(String name) {
      JsonElement e = required(name, null);
      List<Integer> values = new ArrayList<>();
      if (e == null) {
        return values;
      }
      if (!e.isJsonArray()) {
        problems.add("\"" + name + "\" must be a list of integers, got " + e);
        return values;
      }
      for (JsonElement v : e.getAsJsonArray()) {
        if (!isInt(v)) {
          problems.add("\"" + name + "\" must be a list of integers, got " + e);
          return new ArrayList<>();
        }
        values.add(v.getAsInt());
      }
      return values;
    }
  }
}
