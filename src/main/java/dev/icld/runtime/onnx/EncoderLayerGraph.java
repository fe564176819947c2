package dev.icld.runtime.onnx;

import dev.icld.model.Architecture;
import dev.icld.model.FoundationModel;
import java.util.List;

/**
 * One transformer layer as its own graph, so that a skipped layer's session is simply not run:
 * multi-head self-attention and the feed-forward block with residual connections, post-LN or
 * pre-LN as its {@link Architecture.Layer} says.
 *
 * <p>Inputs: hidden [B, T, D], the additive key mask [B, 1, 1, T] (0 for valid keys, a large
 * negative number for padded ones) and, for WavLM, the shared position bias [H, T, T]
 * ({@link PositionBiasGraph}), which the layer gates from its attention input
 * ({@link Architecture.BiasGate}). Output: the layer's output [B, T, D].
 */
final class EncoderLayerGraph {
  static final String HIDDEN = "hidden";
  static final String KEY_MASK = "key_mask";
  static final String POSITION_BIAS = "position_bias";
  static final String OUTPUT = "layer_output";

  private EncoderLayerGraph() {}

  static String component(int layer) {
    return "layer " + layer;
  }

  static byte[] export(FoundationModel model, int index) {
    Architecture.Layer layer = model.architecture().layers().get(index);
    Architecture.Attention attention = layer.attention();
    String d = String.valueOf(attention.qProj().in());
    OnnxGraph g = new OnnxGraph(component(index), model.parameters());
    String x = g.input(HIDDEN, "batch", "frames", d);
    String keyMask = g.input(KEY_MASK, "batch", "1", "1", "frames");
    String positionBias = attention.gate() != null
        ? g.input(POSITION_BIAS, String.valueOf(attention.numAttentionHeads()), "frames", "frames")
        : null;
    String out;
    if (layer.placement() == Architecture.NormPlacement.PRE) {
      String normed = g.layerNorm(x, layer.layerNorm());
      String h = g.add(x, attention(g, normed, keyMask, positionBias, attention));
      String ffInput = g.layerNorm(h, layer.finalLayerNorm());
      out = g.add(h, feedForward(g, ffInput, layer.feedForward()));
    } else {
      String h = g.layerNorm(g.add(x, attention(g, x, keyMask, positionBias, attention)),
          layer.layerNorm());
      out = g.layerNorm(g.add(h, feedForward(g, h, layer.feedForward())), layer.finalLayerNorm());
    }
    g.output(out, OUTPUT, "batch", "frames", d);
    return g.toModel();
  }

  /** @param positionBias WavLM's shared bias [H, T, T], or null */
  private static String attention(OnnxGraph g, String x, String keyMask, String positionBias,
      Architecture.Attention attention) {
    long heads = attention.numAttentionHeads();
    long width = attention.qProj().out();
    long headDim = width / heads;
    String toHeads = g.longs("heads_shape", 0, 0, heads, headDim);
    String scale = g.scalar("attention_scale", (float) (1.0 / Math.sqrt(headDim)));
    // [B, T, D] -> [B, T, H, D/H], then queries and values to [B, H, T, D/H], keys to [B, H, D/H, T].
    List<String> qkv = g.linears(x, attention.qProj(), attention.kProj(), attention.vProj());
    String q = g.transpose(g.op("Reshape", List.of(g.mul(qkv.get(0), scale), toHeads)), 0, 2, 1, 3);
    String k = g.transpose(g.op("Reshape", List.of(qkv.get(1), toHeads)), 0, 2, 3, 1);
    String v = g.transpose(g.op("Reshape", List.of(qkv.get(2), toHeads)), 0, 2, 1, 3);
    String scores = g.add(g.op("MatMul", List.of(q, k)), keyMask);
    if (positionBias != null) {
      scores = g.add(scores, gatedBias(g, x, positionBias, attention.gate(), heads, headDim));
    }
    String weights = g.op("Softmax", List.of(scores), OnnxWire.intAttribute("axis", -1));
    String context = g.transpose(g.op("MatMul", List.of(weights, v)), 0, 2, 1, 3);
    String merged = g.op("Reshape", List.of(context, g.longs("merged_shape", 0, 0, width)));
    return g.linear(merged, attention.outProj());
  }

  /** The layer's gate on the shared bias: [B, H, T, 1] times [H, T, T] gives [B, H, T, T]. */
  private static String gatedBias(OnnxGraph g, String x, String positionBias,
      Architecture.BiasGate gate, long heads, long headDim) {
    String perHead = g.transpose(g.op("Reshape", List.of(x,
        g.longs("gate_heads_shape", 0, 0, heads, headDim))), 0, 2, 1, 3);
    String groups = g.op("Reshape", List.of(g.linear(perHead, gate.gruRelPosLinear()),
        g.longs("gate_groups_shape", 0, 0, 0, 2, 4)));
    String gates = g.op("Sigmoid", List.of(g.op("ReduceSum",
        List.of(groups, g.longs("gate_group_axis", 4)), OnnxWire.intAttribute("keepdims", 0))));
    String a = g.op("Slice", List.of(gates, g.longs("gate_a_start", 0), g.longs("gate_a_end", 1),
        g.longs("gate_axis", 3)));
    String b = g.op("Slice", List.of(gates, g.longs("gate_b_start", 1), g.longs("gate_b_end", 2),
        "gate_axis"));
    String scaled = g.op("Sub", List.of(g.mul(b, g.weight(gate.gruRelPosConst())),
        g.scalar("gate_one", 1f)));
    String factor = g.add(g.mul(a, scaled), g.scalar("gate_two", 2f));
    return g.mul(factor, positionBias);
  }

  private static String feedForward(OnnxGraph g, String x, Architecture.FeedForwardBlock block) {
    String hidden = g.activation(g.linear(x, block.intermediateDense()), block.hiddenAct());
    return g.linear(hidden, block.outputDense());
  }
}
