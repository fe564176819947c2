package dev.icld.model;

import dev.icld.model.io.TensorData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks config.json against a checkpoint's tensors before anything native is built from them.
 * Building takes every tensor at the shape the config gives it and puts zeros in place of a
 * missing or mis-shaped one (so that one error can list every problem); for a config that does
 * not belong to the checkpoint, that would allocate natively whatever the config declares. So every
 * dimension a tensor's shape fixes is compared with the config field that declares it, and the
 * config may not describe weight matrices much larger than the tensors the checkpoint holds.
 */
final class ConfigAgreement {
  /** Room for a few missing tensors, which the build then names one by one. */
  private static final long SLACK_ELEMENTS = 1 << 20;
  private static final Pattern LAYER = Pattern.compile("encoder\\.layers\\.(\\d{1,9})\\..*");
  private static final String PROJECTION = "feature_projection.projection.weight";
  private static final String INTERMEDIATE =
      "encoder.layers.0.feed_forward.intermediate_dense.weight";
  private static final String[] POSITIONAL = {
    "encoder.pos_conv_embed.conv.weight_v",
    "encoder.pos_conv_embed.conv.parametrizations.weight.original1"
  };

  private final ModelConfig config;
  private final Map<String, TensorData> tensors;
  private final List<String> problems = new ArrayList<>();

  private ConfigAgreement(ModelConfig config, Map<String, TensorData> tensors) {
    this.config = config;
    this.tensors = tensors;
  }

  /**
   * Every disagreement between {@code config} and the backbone tensors (bare Hugging Face names),
   * each naming the config field; empty when they agree. Tensors the checkpoint lacks are left to
   * the build to report.
   */
  static List<String> problems(ModelConfig config, Map<String, TensorData> tensors) {
    ConfigAgreement check = new ConfigAgreement(config, tensors);
    check.convLayers();
    check.dimension(PROJECTION, 0, "hidden_size", config.hiddenSize());
    check.dimension(PROJECTION, 1, "conv_dim[" + (config.convDim().size() - 1) + "]",
        config.convDim().get(config.convDim().size() - 1));
    check.layerCount();
    check.dimension(INTERMEDIATE, 0, "intermediate_size", config.intermediateSize());
    for (String positional : POSITIONAL) {
      check.dimension(positional, 1, "hidden_size / num_conv_pos_embedding_groups",
          config.hiddenSize() / config.numConvPosEmbeddingGroups());
      check.dimension(positional, 2, "num_conv_pos_embeddings", config.numConvPosEmbeddings());
    }
    if (config.modelType() == ModelType.WAVLM) {
      check.dimension(RelativePositionBias.NAME, 0, "num_buckets", config.numBuckets());
      check.dimension(RelativePositionBias.NAME, 1, "num_attention_heads",
          config.numAttentionHeads());
    }
    check.size();
    return check.problems;
  }

  private void convLayers() {
    if (config.logMelFrontEnd()) {
      return;
    }
    int layers = config.convDim().size();
    for (int i = 0; i < layers; i++) {
      String name = "feature_extractor.conv_layers." + i + ".conv.weight";
      dimension(name, 0, "conv_dim[" + i + "]", config.convDim().get(i));
      dimension(name, 2, "conv_kernel[" + i + "]", config.convKernel().get(i));
    }
    String extra = "feature_extractor.conv_layers." + layers + ".conv.weight";
    if (tensors.containsKey(extra)) {
      problems.add("conv_dim has " + layers + " layers in config.json, but the checkpoint has "
          + extra);
    }
  }

  /** Dimension {@code axis} of the named tensor, when the checkpoint has it, against a field. */
  private void dimension(String name, int axis, String field, long expected) {
    TensorData tensor = tensors.get(name);
    if (tensor == null) {
      return;
    }
    long[] shape = tensor.shape();
    if (shape.length <= axis || shape[axis] != expected) {
      problems.add(field + " = " + expected + " in config.json, but the checkpoint's " + name
          + " is " + Arrays.toString(shape));
    }
  }

  private void layerCount() {
    int layers = 0;
    for (String name : tensors.keySet()) {
      Matcher m = LAYER.matcher(name);
      if (m.matches()) {
        layers = Math.max(layers, Integer.parseInt(m.group(1)) + 1);
      }
    }
    if (layers != config.numHiddenLayers()) {
      String found = layers == 0 ? "no encoder layers" : "encoder.layers.0.." + (layers - 1);
      problems.add("num_hidden_layers = " + config.numHiddenLayers() + " in config.json, but the "
          + "checkpoint has " + found);
    }
  }

  /**
   * The config's weight matrices against the elements the checkpoint holds, so that zeros for
   * missing tensors can cost at most about twice the checkpoint itself.
   */
  private void size() {
    long held = 0;
    for (TensorData tensor : tensors.values()) {
      held += tensor.values().length;
    }
    long declared = weightMatrixElements(config);
    if (declared > 2 * held + SLACK_ELEMENTS) {
      problems.add("config.json describes weight matrices of " + declared + " elements, but the "
          + "checkpoint holds " + held + ": it does not belong to this checkpoint");
    }
  }

  /**
   * The elements of the conv, projection, positional and transformer weight matrices: a lower
   * bound on what building the model allocates.
   */
  private static long weightMatrixElements(ModelConfig c) {
    long elements = 0;
    long in = 1;
    if (c.logMelFrontEnd()) {
      in = c.convDim().get(0); // mel bins, from fixed filters with no weights
    } else {
      for (int i = 0; i < c.convDim().size(); i++) {
        elements += c.convDim().get(i) * in * c.convKernel().get(i);
        in = c.convDim().get(i);
      }
    }
    long d = c.hiddenSize();
    elements += d * in;
    elements += d * (d / c.numConvPosEmbeddingGroups()) * c.numConvPosEmbeddings();
    elements += c.numHiddenLayers() * (4 * d * d + 2 * d * c.intermediateSize());
    return elements;
  }
}
