package dev.icld.runtime.onnx;

import dev.icld.model.Architecture;
import dev.icld.model.FoundationModel;
import java.util.List;

/**
 * The encoder's input stage: padded frames of the projected features are zeroed, the grouped
 * positional conv embedding is added, and in the post-LN form the encoder layer norm follows (the
 * pre-LN form applies it after the layers instead: {@link FinalLayerNormGraph}).
 *
 * <p>Inputs: projected features [B, T, D] and the frame mask [B, T, 1] (1 for valid frames, 0 for
 * padding). Output: the first layer's input [B, T, D].
 */
final class PositionalEmbeddingGraph {
  static final String COMPONENT = "positional embedding";
  static final String PROJECTED = "projected";
  static final String FRAME_MASK = "frame_mask";
  static final String HIDDEN = "hidden";

  private PositionalEmbeddingGraph() {}

  static byte[] export(FoundationModel model) {
    Architecture architecture = model.architecture();
    Architecture.PositionalConv conv = architecture.posConvEmbed();
    String d = String.valueOf(conv.hiddenSize());
    int kernel = conv.numConvPosEmbeddings();
    OnnxGraph g = new OnnxGraph(COMPONENT, model.parameters());
    String x = g.mul(g.input(PROJECTED, "batch", "frames", d), g.input(FRAME_MASK, "batch", "frames", "1"));
    // The folded weight-norm weight [D, D/G, K] is what the model computes with.
    String y = g.op("Conv",
        List.of(g.transpose(x, 0, 2, 1), g.weight(conv.weight()), g.weight(conv.bias())),
        OnnxWire.intsAttribute("kernel_shape", kernel),
        OnnxWire.intsAttribute("pads", kernel / 2, kernel / 2),
        OnnxWire.intAttribute("group", conv.numConvPosEmbeddingGroups()));
    if (kernel % 2 == 0) {
      // "Same" padding with an even kernel gives one frame too many: the last one goes.
      y = g.op("Slice", List.of(y, g.longs("start", 0), g.longs("end", -1), g.longs("axis2", 2)));
    }
    String h = g.add(x, g.transpose(g.activation(y, conv.activation()), 0, 2, 1));
    if (architecture.normPlacement() == Architecture.NormPlacement.POST) {
      h = g.layerNorm(h, architecture.encoderLayerNorm());
    }
    g.output(h, HIDDEN, "batch", "frames", d);
    return g.toModel();
  }
}
