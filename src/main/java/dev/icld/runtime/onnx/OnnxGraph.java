package dev.icld.runtime.onnx;

import ai.djl.ndarray.NDArray;
import com.google.protobuf.ByteString;
import dev.icld.model.Architecture;
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

  /** The model parameter {@code weight} as an initializer. */
  String weight(Architecture.Weight weight) {
    return initializer(weight.name(), weight.shape(), values(weight));
  }

  /** The values of the model parameter {@code weight}, after checking its shape. */
  private float[] values(Architecture.Weight weight) {
    NDArray array = parameters.get(weight.name());
    if (array == null) {
      throw new IllegalArgumentException(name + ": the model has no parameter " + weight.name());
    }
    if (!Arrays.equals(array.getShape().getShape(), weight.shape())) {
      throw new IllegalArgumentException(name + ": " + weight.name() + " is " + array.getShape()
          + ", expected " + Arrays.toString(weight.shape()));
    }
    return array.toFloatArray();
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

  /** x W^T + b over the last axis. */
  String linear(String x, Architecture.LinearWeights linear) {
    return affine(x, List.of(linear));
  }

  /**
   * Several linear layers that share their input, computed as one MatMul with their weights side
   * by side (one large product runs faster than several small ones), then split into one output
   * per layer.
   */
  List<String> linears(String x, Architecture.LinearWeights... linears) {
    long[] sizes = new long[linears.length];
    List<String> parts = new ArrayList<>();
    for (int p = 0; p < linears.length; p++) {
      sizes[p] = linears[p].out();
      parts.add(name + "/" + linears[p].name() + ".out");
    }
    op("Split", List.of(affine(x, List.of(linears)), longs(joinedName(List.of(linears)) + ".sizes", sizes)),
        parts, OnnxWire.intAttribute("axis", -1));
    return parts;
  }

  /**
   * x [W_1; W_2; ...]^T + [b_1; b_2; ...] for torch.nn.Linear weights [out_i, in]: the weights are
   * transposed into one [in, sum out_i] initializer, as MatMul needs.
   */
  private String affine(String x, List<Architecture.LinearWeights> linears) {
    int in = linears.get(0).in();
    int total = 0;
    for (Architecture.LinearWeights linear : linears) {
      if (linear.in() != in) {
        throw new IllegalArgumentException(name + ": " + linear.name() + " takes " + linear.in()
            + " inputs, " + linears.get(0).name() + " " + in);
      }
      total += linear.out();
    }
    float[] weight = new float[in * total];
    float[] bias = new float[total];
    int offset = 0;
    for (Architecture.LinearWeights linear : linears) {
      float[] w = values(linear.weight());
      int out = linear.out();
      for (int o = 0; o < out; o++) {
        for (int i = 0; i < in; i++) {
          weight[i * total + offset + o] = w[o * in + i];
        }
      }
      System.arraycopy(values(linear.bias()), 0, bias, offset, out);
      offset += out;
    }
    String joined = joinedName(linears);
    String product = op("MatMul",
        List.of(x, initializer(joined + ".weight.T", new long[] {in, total}, weight)));
    return add(product, initializer(joined + ".bias", new long[] {total}, bias));
  }

  private static String joinedName(List<Architecture.LinearWeights> linears) {
    return String.join("+", linears.stream().map(Architecture.LinearWeights::name).toList());
  }

  /** Layer norm over the last axis. */
  String layerNorm(String x, Architecture.NormWeights norm) {
    return op("LayerNormalization", List.of(x, weight(norm.weight()), weight(norm.bias())),
        OnnxWire.intAttribute("axis", -1), OnnxWire.floatAttribute("epsilon", (float) norm.eps()));
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
