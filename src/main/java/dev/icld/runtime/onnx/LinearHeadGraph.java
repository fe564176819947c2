package dev.icld.runtime.onnx;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;
import java.util.Map;

/**
 * A linear head (a classifier over pooled states, or CTC logits over frames) as its own graph:
 * input [..., D] to output [..., N], with a torch.nn.Linear weight [N, D] and bias [N]. The bytes
 * are a complete ONNX model for an {@code OrtSession}.
 */
public final class LinearHeadGraph {
  public static final String INPUT = "input";
  public static final String OUTPUT = "output";

  private LinearHeadGraph() {}

  /**
   * @param component the head's name, for the graph and error messages
   * @param leadingDims the input's dimensions before the last, symbolic ("batch", "frames") or fixed
   */
  public static byte[] export(String component, NDArray weight, NDArray bias, String... leadingDims) {
    long[] shape = weight.getShape().getShape();
    if (shape.length != 2 || bias.getShape().dimension() != 1 || bias.getShape().get(0) != shape[0]) {
      throw new IllegalArgumentException("ONNX export of " + component + ": needs a weight [out, in]"
          + " and a bias [out], got " + weight.getShape() + " and " + bias.getShape());
    }
    OnnxGraph g = new OnnxGraph(component, Map.of("head.weight", weight, "head.bias", bias));
    String x = g.input(INPUT, dims(leadingDims, shape[1]));
    g.output(g.linear(x, "head"), OUTPUT, dims(leadingDims, shape[0]));
    return g.toModel();
  }

  private static String[] dims(String[] leading, long last) {
    String[] dims = Arrays.copyOf(leading, leading.length + 1);
    dims[leading.length] = String.valueOf(last);
    return dims;
  }
}
