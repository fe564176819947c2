package dev.icld.runtime.onnx;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * The protobuf encoding of the few ONNX messages this package writes (ModelProto, GraphProto,
 * NodeProto, AttributeProto, TensorProto, ValueInfoProto with its type and shape, and
 * OperatorSetIdProto). Field numbers follow the ONNX IR specification; each message is encoded
 * on its own with protobuf-java's {@link CodedOutputStream} and embedded in its parent as a
 * length-delimited field, so no generated classes are needed.
 */
final class OnnxWire {
  /** IR version 8 goes with opset 17 (ONNX 1.12). */
  private static final long IR_VERSION = 8;

  // ModelProto
  private static final int MODEL_IR_VERSION = 1;
  private static final int MODEL_PRODUCER_NAME = 2;
  private static final int MODEL_GRAPH = 7;
  private static final int MODEL_OPSET_IMPORT = 8;
  // OperatorSetIdProto
  private static final int OPSET_DOMAIN = 1;
  private static final int OPSET_VERSION = 2;
  // GraphProto
  private static final int GRAPH_NODE = 1;
  private static final int GRAPH_NAME = 2;
  private static final int GRAPH_INITIALIZER = 5;
  private static final int GRAPH_INPUT = 11;
  private static final int GRAPH_OUTPUT = 12;
  // NodeProto
  private static final int NODE_INPUT = 1;
  private static final int NODE_OUTPUT = 2;
  private static final int NODE_NAME = 3;
  private static final int NODE_OP_TYPE = 4;
  private static final int NODE_ATTRIBUTE = 5;
  // AttributeProto and its AttributeType values
  private static final int ATTRIBUTE_NAME = 1;
  private static final int ATTRIBUTE_F = 2;
  private static final int ATTRIBUTE_I = 3;
  private static final int ATTRIBUTE_INTS = 8;
  private static final int ATTRIBUTE_TYPE = 20;
  private static final int TYPE_FLOAT = 1;
  private static final int TYPE_INT = 2;
  private static final int TYPE_INTS = 7;
  // TensorProto and its DataType values
  private static final int TENSOR_DIMS = 1;
  private static final int TENSOR_DATA_TYPE = 2;
  private static final int TENSOR_NAME = 8;
  private static final int TENSOR_RAW_DATA = 9;
  private static final int FLOAT = 1;
  private static final int INT64 = 7;
  // ValueInfoProto, TypeProto, TypeProto.Tensor, TensorShapeProto, TensorShapeProto.Dimension
  private static final int VALUE_INFO_NAME = 1;
  private static final int VALUE_INFO_TYPE = 2;
  private static final int TYPE_TENSOR_TYPE = 1;
  private static final int TENSOR_TYPE_ELEM_TYPE = 1;
  private static final int TENSOR_TYPE_SHAPE = 2;
  private static final int SHAPE_DIM = 1;
  private static final int DIM_VALUE = 1;
  private static final int DIM_PARAM = 2;

  private OnnxWire() {}

  /** The body of one message, written field by field. */
  private interface Body {
    void write(CodedOutputStream out) throws IOException;
  }

  private static ByteString message(Body body) {
    try {
      ByteString.Output bytes = ByteString.newOutput();
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      body.write(out);
      out.flush();
      return bytes.toByteString();
    } catch (IOException e) {
      // Only in-memory buffers are written: an IOException here is a programming error.
      throw new UncheckedIOException(e);
    }
  }

  static byte[] model(ByteString graph, String producer, int opset) {
    ByteString opsetImport = message(out -> {
      out.writeString(OPSET_DOMAIN, "");
      out.writeInt64(OPSET_VERSION, opset);
    });
    return message(out -> {
      out.writeInt64(MODEL_IR_VERSION, IR_VERSION);
      out.writeString(MODEL_PRODUCER_NAME, producer);
      out.writeBytes(MODEL_GRAPH, graph);
      out.writeBytes(MODEL_OPSET_IMPORT, opsetImport);
    }).toByteArray();
  }

  static ByteString graph(String name, List<ByteString> nodes, List<ByteString> initializers,
      List<ByteString> inputs, List<ByteString> outputs) {
    return message(out -> {
      out.writeString(GRAPH_NAME, name);
      for (ByteString node : nodes) {
        out.writeBytes(GRAPH_NODE, node);
      }
      for (ByteString initializer : initializers) {
        out.writeBytes(GRAPH_INITIALIZER, initializer);
      }
      for (ByteString input : inputs) {
        out.writeBytes(GRAPH_INPUT, input);
      }
      for (ByteString output : outputs) {
        out.writeBytes(GRAPH_OUTPUT, output);
      }
    });
  }

  static ByteString node(String name, String opType, List<String> inputs, List<String> outputs,
      List<ByteString> attributes) {
    return message(out -> {
      for (String input : inputs) {
        out.writeString(NODE_INPUT, input);
      }
      for (String output : outputs) {
        out.writeString(NODE_OUTPUT, output);
      }
      out.writeString(NODE_NAME, name);
      out.writeString(NODE_OP_TYPE, opType);
      for (ByteString attribute : attributes) {
        out.writeBytes(NODE_ATTRIBUTE, attribute);
      }
    });
  }

  static ByteString intAttribute(String name, long value) {
    return message(out -> {
      out.writeString(ATTRIBUTE_NAME, name);
      out.writeInt64(ATTRIBUTE_I, value);
      out.writeEnum(ATTRIBUTE_TYPE, TYPE_INT);
    });
  }

  static ByteString floatAttribute(String name, float value) {
    return message(out -> {
      out.writeString(ATTRIBUTE_NAME, name);
      out.writeFloat(ATTRIBUTE_F, value);
      out.writeEnum(ATTRIBUTE_TYPE, TYPE_FLOAT);
    });
  }

  static ByteString intsAttribute(String name, long... values) {
    return message(out -> {
      out.writeString(ATTRIBUTE_NAME, name);
      for (long value : values) {
        out.writeInt64(ATTRIBUTE_INTS, value);
      }
      out.writeEnum(ATTRIBUTE_TYPE, TYPE_INTS);
    });
  }

  /** A float tensor, its values as little-endian raw data. */
  static ByteString floatTensor(String name, long[] dims, float[] values) {
    ByteBuffer raw = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    raw.asFloatBuffer().put(values);
    return tensor(name, dims, FLOAT, raw);
  }

  static ByteString int64Tensor(String name, long[] dims, long[] values) {
    ByteBuffer raw = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    raw.asLongBuffer().put(values);
    return tensor(name, dims, INT64, raw);
  }

  private static ByteString tensor(String name, long[] dims, int dataType, ByteBuffer raw) {
    return message(out -> {
      for (long dim : dims) {
        out.writeInt64(TENSOR_DIMS, dim);
      }
      out.writeInt32(TENSOR_DATA_TYPE, dataType);
      out.writeString(TENSOR_NAME, name);
      out.writeByteArray(TENSOR_RAW_DATA, raw.array());
    });
  }

  /**
   * A float tensor value's name, type and shape; each dimension is either a size ("768") or a
   * symbolic name ("batch") for a size known only at run time.
   */
  static ByteString floatValueInfo(String name, String... dims) {
    return valueInfo(name, FLOAT, dims);
  }

  /** As {@link #floatValueInfo}, for an int64 tensor (indices). */
  static ByteString int64ValueInfo(String name, String... dims) {
    return valueInfo(name, INT64, dims);
  }

  private static ByteString valueInfo(String name, int elementType, String... dims) {
    ByteString shape = message(out -> {
      for (String dim : dims) {
        ByteString dimension = message(d -> {
          if (dim.chars().allMatch(Character::isDigit)) {
            d.writeInt64(DIM_VALUE, Long.parseLong(dim));
          } else {
            d.writeString(DIM_PARAM, dim);
          }
        });
        out.writeBytes(SHAPE_DIM, dimension);
      }
    });
    ByteString tensorType = message(out -> {
      out.writeInt32(TENSOR_TYPE_ELEM_TYPE, elementType);
      out.writeBytes(TENSOR_TYPE_SHAPE, shape);
    });
    ByteString type = message(out -> out.writeBytes(TYPE_TENSOR_TYPE, tensorType));
    return message(out -> {
      out.writeString(VALUE_INFO_NAME, name);
      out.writeBytes(VALUE_INFO_TYPE, type);
    });
  }
}
