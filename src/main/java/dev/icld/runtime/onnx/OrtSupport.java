package dev.icld.runtime.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;

/** What every ONNX Runtime engine of this package does the same way: sessions and tensors. */
final class OrtSupport {
  private OrtSupport() {}

  static OrtSession.SessionOptions sessionOptions(OnnxBackbone.Options options) throws OrtException {
    OrtSession.SessionOptions s = new OrtSession.SessionOptions();
    s.setIntraOpNumThreads(options.intraOpThreads());
    s.setInterOpNumThreads(1);
    s.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
    s.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
    s.addConfigEntry("session.intra_op.allow_spinning", options.allowSpinning() ? "1" : "0");
    return s;
  }

  /** A session on {@code graph}, added to {@code opened} so that a later failure can close it. */
  static OrtSession open(OrtEnvironment environment, OrtSession.SessionOptions options,
      String component, byte[] graph, List<OrtSession> opened) {
    try {
      OrtSession session = environment.createSession(graph, options);
      opened.add(session);
      return session;
    } catch (OrtException e) {
      throw new IllegalArgumentException(
          "ONNX Runtime could not load the " + component + " graph: " + e.getMessage(), e);
    }
  }

  /** Closes every session, reporting the first failure after trying them all. */
  static void closeAll(List<OrtSession> sessions) {
    IllegalStateException failure = null;
    for (OrtSession session : sessions) {
      try {
        session.close();
      } catch (OrtException e) {
        if (failure == null) {
          failure = new IllegalStateException("closing an ONNX Runtime session: " + e.getMessage(), e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** A tensor over a direct buffer, which ONNX Runtime reads without another copy. */
  static OnnxTensor tensor(OrtEnvironment environment, float[] values, long... shape)
      throws OrtException {
    FloatBuffer buffer = ByteBuffer.allocateDirect(values.length * Float.BYTES)
        .order(ByteOrder.nativeOrder())
        .asFloatBuffer();
    buffer.put(values).rewind();
    return OnnxTensor.createTensor(environment, buffer, shape);
  }

  static float[] values(OrtSession.Result result, String output) {
    OnnxValue value = result.get(output)
        .orElseThrow(() -> new IllegalStateException("ONNX Runtime returned no " + output));
    return values((OnnxTensor) value);
  }

  static float[] values(OnnxTensor tensor) {
    FloatBuffer buffer = tensor.getFloatBuffer();
    float[] values = new float[buffer.remaining()];
    buffer.get(values);
    return values;
  }
}
