package dev.icld.runtime.onnx;

import ai.djl.ndarray.NDArray;
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
  private final Set<String> constants = new HashSet<>();
  private int nodeCount;

  /**
   * @param name the component, used in the graph and in error messages
   * @param parameters the model's named parameters, read by {@link #weight}
   */
  OnnxGraph(String name, Map<String, NDArray> parameters) {
    this.name = name;
    this.parameters = parameters;
  }

  String name() {
    return name;
  }

  boolean hasParameter(String parameter) {
    return parameters.containsKey(parameter);
  }

  String input(String value, String... dims) {
    inputs.add(OnnxWire.floatValueInfo(value, dims));
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

  /** A [out, in] linear weight as the [in, out] initializer MatMul needs. */
  String transposedWeight(String parameter) {
    NDArray array = parameter(parameter);
    long[] shape = array.getShape().getShape();
    if (shape.length != 2) {
      throw new IllegalArgumentException(name + ": parameter " + parameter + " must be 2-d, is "
          + array.getShape());
    }
    int rows = (int) shape[0];
    int columns = (int) shape[1];
    float[] values = array.toFloatArray();
    float[] transposed = new float[values.length];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < columns; c++) {
        transposed[c * rows + r] = values[r * columns + c];
      }
    }
    return initializer(parameter + ".T", new long[] {columns, rows}, transposed);
  }

  private NDArray parameter(String parameter) {
    NDArray array = parameters.get(parameter);
    if (array == null) {
      throw new IllegalArgumentException(name + ": the model has no parameter " + parameter);
    }
    return array;
  }

  String initializer(String value, long[] dims, float[] values) {
    initializers.add(OnnxWire.floatTensor(value, dims, values));
    return value;
  }

  /** A float scalar constant. */
  String scalar(String value, float number) {
    return initializer(value, new long[0], new float[] {number});
  }

  /** A 1-d int64 constant (axes, shapes, slice bounds). */
  String longs(String value, long... numbers) {
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
    return add(op("MatMul", List.of(x, transposedWeight(prefix + ".weight"))),
        weight(prefix + ".bias"));
  }

  /**
   * Several linear layers that share their input ({@code prefix.weight} [out_i, in] and
   * {@code prefix.bias} for each prefix) as one MatMul with the weights side by side, split into
   * one output per layer: one large product runs faster than several small ones.
   */
  List<String> linears(String x, String... prefixes) {
    List<float[]> weights = new ArrayList<>();
    List<float[]> biases = new ArrayList<>();
    long[] sizes = new long[prefixes.length];
    int in = -1;
    int total = 0;
    for (int p = 0; p < prefixes.length; p++) {
      long[] shape = parameter(prefixes[p] + ".weight").getShape().getShape();
      if (shape.length != 2 || (in >= 0 && shape[1] != in)) {
        throw new IllegalArgumentException(name + ": " + prefixes[p]
            + ".weight must be a 2-d weight of the same input width as the others");
      }
      in = (int) shape[1];
      sizes[p] = shape[0];
      total += (int) shape[0];
      weights.add(parameter(prefixes[p] + ".weight").toFloatArray());
      biases.add(parameter(prefixes[p] + ".bias").toFloatArray());
    }
    float[] stacked = new float[in * total];
    float[] bias = new float[total];
    int offset = 0;
    for (int p = 0; p < prefixes.length; p++) {
      int out = (int) sizes[p];
      float[] w = weights.get(p);
      for (int o = 0; o < out; o++) {
        for (int i = 0; i < in; i++) {
          stacked[i * total + offset + o] = w[o * in + i];
        }
      }
      System.arraycopy(biases.get(p), 0, bias, offset, out);
      offset += out;
    }
    String joined = String.join("+", prefixes);
    String product = add(op("MatMul", List.of(x, initializer(joined + ".weight.T", new long[] {in, total}, stacked))),
        initializer(joined + ".bias", new long[] {total}, bias));
    List<String> parts = new ArrayList<>();
    for (String prefix : prefixes) {
      parts.add(name + "/" + prefix + ".out");
    }
    op("Split", List.of(product, longs(joined + ".sizes", sizes)), parts,
        OnnxWire.intAttribute("axis", -1));
    return parts;
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
    return constants.add(value) ? scalar(value, number) : value;
  }

  /** The serialized ModelProto. */
  byte[] toModel() {
    ByteString graph = OnnxWire.graph(name, nodes, initializers, inputs, outputs);
    return OnnxWire.model(graph, PRODUCER, OPSET);
  }
}
