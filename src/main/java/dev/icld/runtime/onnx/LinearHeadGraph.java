package dev.icld.runtime.onnx;

import ai.djl.ndarray.NDArray;
import dev.icld.model.Architecture;
import dev.icld.model.ClassificationHead;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A linear head (a classifier over pooled states, or CTC logits over frames) as its own graph:
 * input [..., D] to output [..., N], with a torch.nn.Linear weight [N, D] and bias [N]; or, in
 * the pooled form, the classification head whole: the mean over valid frames, then the linear
 * map. The bytes are a complete ONNX model for an {@code OrtSession}.
 */
public final class LinearHeadGraph {
  public static final String INPUT = "input";
  public static final String OUTPUT = "output";
  /** The pooled form's frame weights [B, T, 1]: {@link ClassificationHead#frameWeights}. */
  public static final String FRAME_WEIGHTS = "frame_weights";

  private LinearHeadGraph() {}

  /**
   * @param component the head's name, for the graph and error messages
   * @param leadingDims the input's dimensions before the last, symbolic ("batch", "frames") or fixed
   */
  public static byte[] export(String component, NDArray weight, NDArray bias, String... leadingDims) {
    Architecture.LinearWeights head = head(component, weight, bias);
    OnnxGraph g = graph(component, head, weight, bias);
    String x = g.input(INPUT, dims(leadingDims, head.in()));
    g.output(g.linear(x, head), OUTPUT, dims(leadingDims, head.out()));
    return g.toModel();
  }

  /**
   * The pooled form: input [B, T, D] and {@value #FRAME_WEIGHTS} [B, T, 1] (1 / valid frames on
   * valid frames, 0 on padding) to logits [B, N], as {@link ClassificationHead} computes them.
   */
  public static byte[] exportPooled(String component, NDArray weight, NDArray bias) {
    Architecture.LinearWeights head = head(component, weight, bias);
    OnnxGraph g = graph(component, head, weight, bias);
    String weighted = g.mul(g.input(INPUT, "batch", "frames", String.valueOf(head.in())),
        g.input(FRAME_WEIGHTS, "batch", "frames", "1"));
    String pooled = g.op("ReduceSum", List.of(weighted, g.longs("frame_axis", 1)),
        OnnxWire.intAttribute("keepdims", 0));
    g.output(g.linear(pooled, head), OUTPUT, "batch", String.valueOf(head.out()));
    return g.toModel();
  }

  /** The head as a torch.nn.Linear, after checking that its arrays are one. */
  private static Architecture.LinearWeights head(String component, NDArray weight, NDArray bias) {
    long[] shape = weight.getShape().getShape();
    if (shape.length != 2 || bias.getShape().dimension() != 1 || bias.getShape().get(0) != shape[0]) {
      throw new IllegalArgumentException("ONNX export of " + component + ": needs a weight [out, in]"
          + " and a bias [out], got " + weight.getShape() + " and " + bias.getShape());
    }
    return new Architecture.LinearWeights("head", (int) shape[1], (int) shape[0]);
  }

  private static OnnxGraph graph(String component, Architecture.LinearWeights head, NDArray weight,
      NDArray bias) {
    return new OnnxGraph(component, Map.of(head.weight().name(), weight, head.bias().name(), bias));
  }

  private static String[] dims(String[] leading, long last) {
    String[] dims = Arrays.copyOf(leading, leading.length + 1);
    dims[leading.length] = String.valueOf(last);
    return dims;
  }
}
