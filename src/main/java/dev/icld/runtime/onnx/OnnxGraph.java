package dev.icld.runtime.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds one ONNX graph (opset 17) node by node: inputs, outputs, weights as initializers, and the
 * blocks the backbone's components are made of (linear, layer norm, activations). Values are
 * referred to by name; every method that adds a node returns the name of its output.
 */
final class OnnxGraph {
  static final int OPSET = 17;
  private static final String PRODUCER = "icld";

  private final String name;
  private final Map<String, NDArray> parameters;
  private final List<ByteString> nodes = new ArrayList<>();
  private final List<ByteString> initializers = new ArrayList<>();
  private final List<ByteString> inputs = new ArrayList<>();
  private final List<ByteString> outputs = new ArrayList<>();
  private final Set<String> initializerNames = new HashSet<>();
  private int nodeCount;

  /**
   * @param name the component, used in the graph and in error messages
   * @param parameters the model's named parameters, read by {@link #weight}
   */
  OnnxGraph(String name, Map<String, NDArray> parameters) {
    this.name = name;
    this.parameters = parameters;
  }

  boolean hasParameter(String parameter) {
    return parameters.containsKey(parameter);
  }

  String input(String value, String... dims) {
    inputs.add(OnnxWire.floatValueInfo(value, dims));
    return value;
  }

  /** An int64 graph input (indices). */
  String int64Input(String value, String... dims) {
    inputs.add(OnnxWire.int64ValueInfo(value, dims));
    return value;
  }

  /** Renames {@code value} to the graph output {@code output}. */
  void output(String value, String output, String... dims) {
    op("Identity", List.of(value), List.of(output));
    outputs.add(OnnxWire.floatValueInfo(output, dims));
  }

  /** The named model parameter as an initializer, in its own shape. */
  String weight(String parameter) {
    NDArray array = parameter(parameter);
    return initializer(parameter, array.getShape().getShape(), array.toFloatArray());
  }

  private NDArray parameter(String parameter) {
    NDArray array = parameters.get(parameter);
    if (array == null) {
      throw new IllegalArgumentException(name + ": the model has no parameter " + parameter);
    }
    return array;
  }

  String initializer(String value, long[] dims, float[] values) {
    claim(value);
    initializers.add(OnnxWire.floatTensor(value, dims, values));
    return value;
  }

  private void claim(String initializer) {
    if (!initializerNames.add(initializer)) {
      throw new IllegalStateException(name + ": initializer " + initializer + " defined twice");
    }
  }

  /** A float scalar constant. */
  String scalar(String value, float number) {
    return initializer(value, new long[0], new float[] {number});
  }

  /** A 1-d int64 constant (axes, shapes, slice bounds). */
  String longs(String value, long... numbers) {
    claim(value);
    initializers.add(OnnxWire.int64Tensor(value, new long[] {numbers.length}, numbers));
    return value;
  }

  /** Adds a node with one generated output name and returns that name. */
  String op(String opType, List<String> nodeInputs, ByteString... attributes) {
    String output = name + "/" + opType + "_" + nodeCount;
    op(opType, nodeInputs, List.of(output), attributes);
    return output;
  }

  private void op(String opType, List<String> nodeInputs, List<String> nodeOutputs,
      ByteString... attributes) {
    nodes.add(OnnxWire.node(name + "/" + opType + "#" + nodeCount++, opType, nodeInputs,
        nodeOutputs, Arrays.asList(attributes)));
  }

  String add(String a, String b) {
    return op("Add", List.of(a, b));
  }

  String mul(String a, String b) {
    return op("Mul", List.of(a, b));
  }

  String transpose(String x, long... perm) {
    return op("Transpose", List.of(x), OnnxWire.intsAttribute("perm", perm));
  }

  /** x W^T + b over the last axis, for the parameters {@code prefix.weight} and {@code prefix.bias}. */
  String linear(String x, String prefix) {
    return affine(x, prefix);
  }

  /**
   * Several linear layers that share their input, computed as one MatMul with their weights side
   * by side (one large product runs faster than several small ones), then split into one output
   * per layer.
   */
  List<String> linears(String x, String... prefixes) {
    long[] sizes = new long[prefixes.length];
    for (int p = 0; p < prefixes.length; p++) {
      sizes[p] = parameter(prefixes[p] + ".weight").getShape().get(0);
    }
    List<String> parts = new ArrayList<>();
    for (String prefix : prefixes) {
      parts.add(name + "/" + prefix + ".out");
    }
    String joined = String.join("+", prefixes);
    op("Split", List.of(affine(x, prefixes), longs(joined + ".sizes", sizes)), parts,
        OnnxWire.intAttribute("axis", -1));
    return parts;
  }

  /**
   * x [W_1; W_2; ...]^T + [b_1; b_2; ...] for torch.nn.Linear weights [out_i, in]: the weights are
   * transposed into one [in, sum out_i] initializer, as MatMul needs.
   */
  private String affine(String x, String... prefixes) {
    int in = -1;
    int total = 0;
    for (String prefix : prefixes) {
      Shape shape = parameter(prefix + ".weight").getShape();
      if (shape.dimension() != 2 || (in >= 0 && shape.get(1) != in)) {
        throw new IllegalArgumentException(name + ": " + prefix + ".weight is " + shape
            + ", expected [out, " + (in >= 0 ? in : "in") + "]");
      }
      in = (int) shape.get(1);
      total += (int) shape.get(0);
    }
    float[] weight = new float[in * total];
    float[] bias = new float[total];
    int offset = 0;
    for (String prefix : prefixes) {
      float[] w = parameter(prefix + ".weight").toFloatArray();
      float[] b = parameter(prefix + ".bias").toFloatArray();
      int out = b.length;
      for (int o = 0; o < out; o++) {
        for (int i = 0; i < in; i++) {
          weight[i * total + offset + o] = w[o * in + i];
        }
      }
      System.arraycopy(b, 0, bias, offset, out);
      offset += out;
    }
    String joined = String.join("+", prefixes);
    String product = op("MatMul",
        List.of(x, initializer(joined + ".weight.T", new long[] {in, total}, weight)));
    return add(product, initializer(joined + ".bias", new long[] {total}, bias));
  }

  /** Layer norm over the last axis with {@code prefix.weight} and {@code prefix.bias}. */
  String layerNorm(String x, String prefix, double eps) {
    return op("LayerNormalization",
        List.of(x, weight(prefix + ".weight"), weight(prefix + ".bias")),
        OnnxWire.intAttribute("axis", -1), OnnxWire.floatAttribute("epsilon", (float) eps));
  }

  /**
   * The activation named by a config ("gelu" is the exact erf form, 0.5 x (1 + erf(x / sqrt 2)),
   * as the model computes it; ONNX Runtime fuses this pattern into one kernel).
   */
  String activation(String x, String activation) {
    return switch (activation) {
      case "gelu" -> {
        String erf = op("Erf", List.of(op("Div", List.of(x, constant("sqrt2", (float) Math.sqrt(2))))));
        yield mul(mul(x, add(erf, constant("one", 1f))), constant("half", 0.5f));
      }
      case "relu" -> op("Relu", List.of(x));
      default -> throw new IllegalArgumentException(
          name + ": activation \"" + activation + "\" has no ONNX export");
    };
  }

  /** A scalar shared by every node of this graph that uses the same number. */
  private String constant(String label, float number) {
    String value = name + "/const_" + label;
    return initializerNames.contains(value) ? value : scalar(value, number);
  }

  /** The serialized ModelProto. */
  byte[] toModel() {
    ByteString graph = OnnxWire.graph(name, nodes, initializers, inputs, outputs);
    return OnnxWire.model(graph, PRODUCER, OPSET);
  }
}
