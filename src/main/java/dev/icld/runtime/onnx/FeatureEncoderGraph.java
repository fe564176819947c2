package dev.icld.runtime.onnx;

import dev.icld.model.FoundationModel;
import dev.icld.model.ModelConfig;
import java.util.List;

/**
 * The conv feature encoder and the feature projection as one graph: waveforms [B, S] to the
 * conv features [B, T, C] and their projection to the encoder width [B, T, D]. A conv layer with
 * a norm parameter normalises like the model: group norm with one group per channel
 * (InstanceNormalization) in the group-norm form, layer norm over channels in the layer-norm form.
 */
final class FeatureEncoderGraph {
  static final String COMPONENT = "feature encoder";
  static final String WAVEFORMS = "waveforms";
  static final String FEATURES = "features";
  static final String PROJECTED = "projected";
  /** The conv stack's norms use torch's default epsilon, not config.layer_norm_eps. */
  private static final float CONV_NORM_EPS = 1e-5f;

  private FeatureEncoderGraph() {}

  static byte[] export(FoundationModel model) {
    ModelConfig config = model.config();
    OnnxGraph g = new OnnxGraph(COMPONENT, model.parameters());
    String x = g.op("Unsqueeze", List.of(g.input(WAVEFORMS, "batch", "samples"), g.longs("axis1", 1)));
    for (int i = 0; i < config.convDim().size(); i++) {
      String prefix = "feature_extractor.conv_layers." + i;
      String weight = g.weight(prefix + ".conv.weight");
      List<String> convInputs = g.hasParameter(prefix + ".conv.bias")
          ? List.of(x, weight, g.weight(prefix + ".conv.bias"))
          : List.of(x, weight);
      x = g.op("Conv", convInputs,
          OnnxWire.intsAttribute("kernel_shape", config.convKernel().get(i)),
          OnnxWire.intsAttribute("strides", config.convStride().get(i)));
      if (g.hasParameter(prefix + ".layer_norm.weight")) {
        if (config.groupNormFeatureEncoder()) {
          x = g.op("InstanceNormalization",
              List.of(x, g.weight(prefix + ".layer_norm.weight"), g.weight(prefix + ".layer_norm.bias")),
              OnnxWire.floatAttribute("epsilon", CONV_NORM_EPS));
        } else {
          x = g.transpose(g.layerNorm(g.transpose(x, 0, 2, 1), prefix + ".layer_norm", CONV_NORM_EPS),
              0, 2, 1);
        }
      }
      x = g.activation(x, config.featExtractActivation());
    }
    String features = g.transpose(x, 0, 2, 1);
    String channels = String.valueOf(config.convDim().get(config.convDim().size() - 1));
    g.output(features, FEATURES, "batch", "frames", channels);
    // HuBERT configs with feat_proj_layer_norm=false have no projection norm.
    String normed = g.hasParameter("feature_projection.layer_norm.weight")
        ? g.layerNorm(features, "feature_projection.layer_norm", config.layerNormEps())
        : features;
    g.output(g.linear(normed, "feature_projection.projection"), PROJECTED, "batch", "frames",
        String.valueOf(config.hiddenSize()));
    return g.toModel();
  }
}
