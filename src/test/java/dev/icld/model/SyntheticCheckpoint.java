package dev.icld.model;

import com.google.gson.JsonObject;
import dev.icld.model.io.SafeTensors;
import dev.icld.model.io.TensorData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random checkpoints in Hugging Face's bare naming, written out name by name from the
 * transformers modeling files (an independent statement of the names the loader expects).
 */
final class SyntheticCheckpoint {
  private SyntheticCheckpoint() {}

  /** A tiny WavLM (Base form unless {@code stable}) config. */
  static ModelConfig tinyWavLM(boolean stable) {
    return new ModelConfig(ModelType.WAVLM, 16, 3, 4, 24, "gelu", "gelu", List.of(8, 8),
        List.of(10, 3), List.of(5, 2), false, stable ? "layer" : "group", 8, 2, stable, 1e-5,
        true, 16, 40);
  }

  static Map<String, TensorData> tensors(ModelConfig c, long seed) {
    Random random = new Random(seed);
    Map<String, TensorData> t = new LinkedHashMap<>();
    int in = 1;
    for (int i = 0; i < c.convDim().size(); i++) {
      String p = "feature_extractor.conv_layers." + i;
      int out = c.convDim().get(i);
      put(t, random, p + ".conv.weight", 0.3, 0, out, in, c.convKernel().get(i));
      if (c.convBias()) {
        put(t, random, p + ".conv.bias", 0.1, 0, out);
      }
      if (!c.groupNormFeatureEncoder() || i == 0) {
        put(t, random, p + ".layer_norm.weight", 0.2, 1, out);
        put(t, random, p + ".layer_norm.bias", 0.1, 0, out);
      }
      in = out;
    }
    int d = c.hiddenSize();
    put(t, random, "feature_projection.layer_norm.weight", 0.2, 1, in);
    put(t, random, "feature_projection.layer_norm.bias", 0.1, 0, in);
    put(t, random, "feature_projection.projection.weight", 0.3, 0, d, in);
    put(t, random, "feature_projection.projection.bias", 0.1, 0, d);
    int k = c.numConvPosEmbeddings();
    put(t, random, "encoder.pos_conv_embed.conv.weight_g", 0.2, 1, 1, 1, k);
    put(t, random, "encoder.pos_conv_embed.conv.weight_v", 0.3, 0, d, d / c.numConvPosEmbeddingGroups(), k);
    put(t, random, "encoder.pos_conv_embed.conv.bias", 0.1, 0, d);
    put(t, random, "encoder.layer_norm.weight", 0.2, 1, d);
    put(t, random, "encoder.layer_norm.bias", 0.1, 0, d);
    for (int l = 0; l < c.numHiddenLayers(); l++) {
      String p = "encoder.layers." + l;
      for (String proj : new String[] {"q_proj", "k_proj", "v_proj", "out_proj"}) {
        put(t, random, p + ".attention." + proj + ".weight", 0.3, 0, d, d);
        put(t, random, p + ".attention." + proj + ".bias", 0.1, 0, d);
      }
      if (c.modelType() == ModelType.WAVLM) {
        put(t, random, p + ".attention.gru_rel_pos_const", 0.3, 1, 1, c.numAttentionHeads(), 1, 1);
        put(t, random, p + ".attention.gru_rel_pos_linear.weight", 0.5, 0, 8, c.headDim());
        put(t, random, p + ".attention.gru_rel_pos_linear.bias", 0.2, 0, 8);
        if (l == 0) {
          put(t, random, p + ".attention.rel_attn_embed.weight", 0.5, 0, c.numBuckets(),
              c.numAttentionHeads());
        }
      }
      put(t, random, p + ".layer_norm.weight", 0.2, 1, d);
      put(t, random, p + ".layer_norm.bias", 0.1, 0, d);
      put(t, random, p + ".feed_forward.intermediate_dense.weight", 0.3, 0, c.intermediateSize(), d);
      put(t, random, p + ".feed_forward.intermediate_dense.bias", 0.1, 0, c.intermediateSize());
      put(t, random, p + ".feed_forward.output_dense.weight", 0.3, 0, d, c.intermediateSize());
      put(t, random, p + ".feed_forward.output_dense.bias", 0.1, 0, d);
      put(t, random, p + ".final_layer_norm.weight", 0.2, 1, d);
      put(t, random, p + ".final_layer_norm.bias", 0.1, 0, d);
    }
    return t;
  }

  /**
   * A model directory by name: a committed fixture ({@link ReferenceFixtures#MODELS}), or a
   * synthetic WavLM ("wavlm" post-LN, "wavlm-large" pre-LN) written under {@code temp}.
   */
  static Path modelDir(String name, Path temp) throws IOException {
    if (!name.startsWith("wavlm")) {
      return ReferenceFixtures.dir(name);
    }
    ModelConfig config = tinyWavLM(name.equals("wavlm-large"));
    Path dir = temp.resolve(name);
    write(dir, config, tensors(config, 7));
    return dir;
  }

  /** Writes config.json and model.safetensors into {@code dir}. */
  static void write(Path dir, ModelConfig config, Map<String, TensorData> tensors)
      throws IOException {
    Files.createDirectories(dir);
    JsonObject json = config.toJson(null);
    Files.writeString(dir.resolve("config.json"), json.toString(), StandardCharsets.UTF_8);
    SafeTensors.write(dir.resolve("model.safetensors"), tensors);
  }

  private static void put(Map<String, TensorData> t, Random random, String name, double scale,
      double mean, long... shape) {
    int n = 1;
    for (long s : shape) {
      n *= (int) s;
    }
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = (float) (mean + scale * random.nextGaussian());
    }
    t.put(name, TensorData.f32(shape, values));
  }
}
