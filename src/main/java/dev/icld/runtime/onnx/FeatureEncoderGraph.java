package dev.icld.runtime.onnx;

import dev.icld.model.Architecture;
import dev.icld.model.FoundationModel;
import dev.icld.model.LogMelFrontEnd;
import java.util.ArrayList;
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

  private FeatureEncoderGraph() {}

  static byte[] export(FoundationModel model) {
    Architecture architecture = model.architecture();
    Architecture.Projection projection = architecture.featureProjection();
    OnnxGraph g = new OnnxGraph(COMPONENT, model.parameters());
    String x = g.op("Unsqueeze", List.of(g.input(WAVEFORMS, "batch", "samples"), g.longs("axis1", 1)));
    String features = architecture.logMel() != null
        ? logMel(g, x, architecture.logMel())
        : convStack(g, x, architecture.convLayers());
    g.output(features, FEATURES, "batch", "frames", String.valueOf(projection.projection().in()));
    String normed = projection.layerNorm() != null ? g.layerNorm(features, projection.layerNorm()) : features;
    g.output(g.linear(normed, projection.projection()), PROJECTED, "batch", "frames",
        String.valueOf(projection.projection().out()));
    return g.toModel();
  }

  /** [B, 1, S] to the conv stack's features [B, T, C]. */
  private static String convStack(OnnxGraph g, String x, List<Architecture.ConvBlock> blocks) {
    for (Architecture.ConvBlock block : blocks) {
      List<String> convInputs = new ArrayList<>(List.of(x, g.weight(block.conv())));
      if (block.bias() != null) {
        convInputs.add(g.weight(block.bias()));
      }
      x = g.op("Conv", convInputs, OnnxWire.intsAttribute("kernel_shape", block.kernel()),
          OnnxWire.intsAttribute("strides", block.stride()));
      Architecture.NormWeights norm = block.layerNorm();
      x = switch (block.norm()) {
        case NONE -> x;
        case GROUP -> g.op("InstanceNormalization",
            List.of(x, g.weight(norm.weight()), g.weight(norm.bias())),
            OnnxWire.floatAttribute("epsilon", (float) norm.eps()));
        case LAYER -> g.transpose(g.layerNorm(g.transpose(x, 0, 2, 1), norm), 0, 2, 1);
      };
      x = g.activation(x, block.activation());
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
