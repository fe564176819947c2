package dev.icld.runtime.onnx;

import dev.icld.model.Architecture;
import dev.icld.model.FoundationModel;
import dev.icld.model.RelativePositionBias;
import java.util.List;

/**
 * WavLM's relative position bias as its own graph. Hugging Face computes it in layer 0 and hands
 * it to every later layer; here it runs once per forward pass whether layer 0 runs or not (the
 * DJL model does the same), and each WavLM layer graph takes it as an input and gates it.
 *
 * <p>Input: the bucket of every (query, key) pair [T, T], int64
 * ({@link RelativePositionBias#buckets}). Output: the bias [H, T, T], rows of the learned table
 * [num_buckets, H].
 */
final class PositionBiasGraph {
  static final String COMPONENT = "relative position bias";
  static final String BUCKETS = "buckets";
  static final String BIAS = "position_bias";

  private PositionBiasGraph() {}

  static byte[] export(FoundationModel model) {
    Architecture.Weight table = model.architecture().relativePositionBias().relAttnEmbed();
    OnnxGraph g = new OnnxGraph(COMPONENT, model.parameters());
    String buckets = g.int64Input(BUCKETS, "frames", "frames");
    String rows = g.op("Gather", List.of(g.weight(table), buckets), OnnxWire.intAttribute("axis", 0));
    g.output(g.transpose(rows, 2, 0, 1), BIAS, String.valueOf(table.shape()[1]), "frames", "frames");
    return g.toModel();
  }
}
