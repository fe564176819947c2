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
 * config may not declare parameters much larger than the tensors the checkpoint holds.
 */
final class ConfigAgreement {
  /** Room for a few missing tensors, which the build then names one by one. */
  private static final long SLACK_ELEMENTS = 1 << 20;
  private static final Pattern LAYER = Pattern.compile("encoder\\.layers\\.(\\d{1,9})\\..*");

  private final ModelConfig config;
  private final Architecture architecture;
  private final Map<String, TensorData> tensors;
  private final List<String> problems = new ArrayList<>();

  private ConfigAgreement(ModelConfig config, Map<String, TensorData> tensors) {
    this.config = config;
    this.architecture = Architecture.of(config);
    this.tensors = tensors;
  }

  /**
   * Every disagreement between {@code config} and the backbone tensors (bare Hugging Face names),
   * each naming the config field; empty when they agree. Tensors the checkpoint lacks are left to
   * the build to report.
   */
  static List<String> problems(ModelConfig config, Map<String, TensorData> tensors) {
    ConfigAgreement check = new ConfigAgreement(config, tensors);
    Architecture a = check.architecture;
    check.convLayers();
    String projection = a.featureProjection().projection().weight().name();
    check.dimension(projection, 0, "hidden_size", config.hiddenSize());
    check.dimension(projection, 1, "conv_dim[" + (config.convDim().size() - 1) + "]",
        config.convDim().get(config.convDim().size() - 1));
    check.layerCount();
    if (!a.layers().isEmpty()) {
      check.dimension(a.layers().get(0).feedForward().intermediateDense().weight().name(), 0,
          "intermediate_size", config.intermediateSize());
    }
    for (Architecture.Weight direction : List.of(a.posConvEmbed().stored().get(1),
        a.posConvEmbed().storedParametrized().get(1))) {
      check.dimension(direction.name(), 1, "hidden_size / num_conv_pos_embedding_groups",
          config.hiddenSize() / config.numConvPosEmbeddingGroups());
      check.dimension(direction.name(), 2, "num_conv_pos_embeddings", config.numConvPosEmbeddings());
    }
    if (a.relativePositionBias() != null) {
      String table = a.relativePositionBias().relAttnEmbed().name();
      check.dimension(table, 0, "num_buckets", config.numBuckets());
      check.dimension(table, 1, "num_attention_heads", config.numAttentionHeads());
    }
    check.size();
    return check.problems;
  }

  private void convLayers() {
    List<Architecture.ConvBlock> blocks = architecture.convLayers();
    for (int i = 0; i < blocks.size(); i++) {
      String name = blocks.get(i).conv().name();
      dimension(name, 0, "conv_dim[" + i + "]", blocks.get(i).out());
      dimension(name, 2, "conv_kernel[" + i + "]", blocks.get(i).kernel());
    }
    if (config.logMelFrontEnd()) {
      return;
    }
    String extra = "feature_extractor.conv_layers." + blocks.size() + ".conv.weight";
    if (tensors.containsKey(extra)) {
      problems.add("conv_dim has " + blocks.size() + " layers in config.json, but the checkpoint has "
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
   * The parameters the config declares against the elements the checkpoint holds, so that zeros
   * for missing tensors can cost at most about twice the checkpoint itself.
   */
  private void size() {
    long held = 0;
    for (TensorData tensor : tensors.values()) {
      held += tensor.values().length;
    }
    long declared = 0;
    for (Architecture.Component component : architecture.components()) {
      for (Architecture.Weight weight : component.weights()) {
        declared += weight.size();
      }
    }
    if (declared > 2 * held + SLACK_ELEMENTS) {
      problems.add("config.json describes parameters of " + declared + " elements, but the "
          + "checkpoint holds " + held + ": it does not belong to this checkpoint");
    }
  }
}
