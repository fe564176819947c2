package dev.icld.runtime.onnx;

import dev.icld.model.FoundationModel;
import dev.icld.model.LogMelFrontEnd;
import dev.icld.model.ModelConfig;
import java.util.List;

/**
 * The front end (conv stack or log-mel) and the feature projection as one graph: waveforms [B, S]
 * to the features [B, T, C] and their projection to the encoder width [B, T, D]. A conv layer with
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
    String features = config.logMelFrontEnd()
        ? logMel(g, x, LogMelFrontEnd.of(config))
        : convStack(g, x, config);
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

  /** [B, 1, S] to the conv stack's features [B, T, C]. */
  private static String convStack(OnnxGraph g, String x, ModelConfig config) {
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
    return g.transpose(x, 0, 2, 1);
  }

  /** [B, 1, S] to the log-mel features [B, T, mels], as {@link LogMelFrontEnd} defines them. */
  private static String logMel(OnnxGraph g, String x, LogMelFrontEnd spec) {
    int bins = spec.bins();
    String parts = g.op("Conv",
        List.of(x, g.initializer("log_mel/dft_basis", new long[] {2L * bins, 1, spec.window()},
            spec.dftBasis())),
        OnnxWire.intsAttribute("kernel_shape", spec.window()),
        OnnxWire.intsAttribute("strides", spec.hop()));
    String squares = g.mul(parts, parts);
    String pairs = g.op("Reshape", List.of(squares, g.longs("log_mel/pairs", 0, 2, bins, -1)));
    String power = g.op("ReduceSum", List.of(pairs, g.longs("log_mel/part_axis", 1)),
        OnnxWire.intAttribute("keepdims", 0));
    String mel = g.op("MatMul", List.of(g.transpose(power, 0, 2, 1),
        g.initializer("log_mel/filters", new long[] {bins, spec.mels()}, spec.melFilters())));
    String log10 = g.mul(g.op("Log", List.of(g.add(mel, g.scalar("log_mel/floor", LogMelFrontEnd.FLOOR)))),
        g.scalar("log_mel/log10_e", (float) (1 / Math.log(10))));
    String loudest = g.op("ReduceMax", List.of(log10), OnnxWire.intsAttribute("axes", 1, 2),
        OnnxWire.intAttribute("keepdims", 1));
    String floored = g.op("Max", List.of(g.op("Sub", List.of(log10, loudest)),
        g.scalar("log_mel/range", -LogMelFrontEnd.RANGE)));
    return g.add(g.op("Div", List.of(floored, g.scalar("log_mel/half_range", LogMelFrontEnd.RANGE / 2))),
        g.scalar("log_mel/one", 1f));
  }
}
