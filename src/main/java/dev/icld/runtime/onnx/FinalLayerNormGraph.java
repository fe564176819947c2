package dev.icld.runtime.onnx;

import dev.icld.model.Architecture;
import dev.icld.model.FoundationModel;

/**
 * The encoder layer norm that pre-LN (stable layer norm) models apply after the last layer:
 * hidden [B, T, D] to the last hidden state [B, T, D].
 */
final class FinalLayerNormGraph {
  static final String COMPONENT = "final layer norm";
  static final String HIDDEN = "hidden";
  static final String OUTPUT = "last_hidden_state";

  private FinalLayerNormGraph() {}

  static byte[] export(FoundationModel model) {
    Architecture.NormWeights norm = model.architecture().encoderLayerNorm();
    String d = String.valueOf(norm.size());
    OnnxGraph g = new OnnxGraph(COMPONENT, model.parameters());
    String normed = g.layerNorm(g.input(HIDDEN, "batch", "frames", d), norm);
    g.output(normed, OUTPUT, "batch", "frames", d);
    return g.toModel();
  }
}
