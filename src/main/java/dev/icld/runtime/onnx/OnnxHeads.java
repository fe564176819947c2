package dev.icld.runtime.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.icld.model.ClassificationHead;
import dev.icld.model.HeadEngine;
import dev.icld.model.ModelOutput;
import dev.icld.model.TaskHead;
import dev.icld.model.TaskModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A task model's heads on ONNX Runtime, one session per head: the classification head whole
 * (mean over valid frames, then the linear map), or the CTC head's linear map on every frame. It
 * reads the hidden state each head reads on DJL ({@link TaskModel#headInput}) and returns the
 * logits as an NDArray in that state's manager.
 *
 * <p>Calls may run concurrently; {@link #close} must not overlap them.
 */
public final class OnnxHeads implements HeadEngine, AutoCloseable {
  private final TaskModel model;
  private final OrtEnvironment environment;
  private final List<OrtSession> sessions;
  private volatile boolean closed;

  private OnnxHeads(TaskModel model, OrtEnvironment environment, List<OrtSession> sessions) {
    this.model = model;
    this.environment = environment;
    this.sessions = sessions;
  }

  /**
   * Exports every head of {@code model} and opens its sessions. The model must stay open: it says
   * which hidden state each head reads.
   */
  public static OnnxHeads export(TaskModel model, OnnxBackbone.Options options) {
    OrtEnvironment environment = OrtEnvironment.getEnvironment();
    List<OrtSession> opened = new ArrayList<>();
    try (OrtSession.SessionOptions sessionOptions = OrtSupport.sessionOptions(options)) {
      for (int i = 0; i < model.heads().size(); i++) {
        TaskHead head = model.heads().get(i);
        String component = "head " + i + " (" + head.type() + ")";
        byte[] graph = model.task().classification()
            ? LinearHeadGraph.exportPooled(component, head.weight(), head.bias())
            : LinearHeadGraph.export(component, head.weight(), head.bias(), "batch", "frames");
        OrtSupport.open(environment, sessionOptions, component, graph, opened);
      }
      return new OnnxHeads(model, environment, List.copyOf(opened));
    } catch (RuntimeException e) {
      OrtSupport.closeAll(opened);
      throw e;
    } catch (OrtException e) {
      OrtSupport.closeAll(opened);
      throw new IllegalArgumentException("ONNX Runtime session options: " + e.getMessage(), e);
    }
  }

  @Override
  public NDArray logits(ModelOutput output, int index) {
    if (closed) {
      throw new IllegalStateException("these ONNX heads are closed");
    }
    NDArray hidden = model.headInput(output, index);
    long[] shape = hidden.getShape().getShape();
    int batch = (int) shape[0];
    int frames = (int) shape[1];
    int classes = model.heads().get(index).classes();
    boolean classification = model.task().classification();
    Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
    try {
      inputs.put(LinearHeadGraph.INPUT, OrtSupport.tensor(environment, hidden.toFloatArray(), shape));
      if (classification) {
        inputs.put(LinearHeadGraph.FRAME_WEIGHTS, OrtSupport.tensor(environment,
            ClassificationHead.frameWeights(output.frameLengths(), frames), batch, frames, 1));
      }
      try (OrtSession.Result result =
          sessions.get(index).run(inputs, Set.of(LinearHeadGraph.OUTPUT))) {
        Shape logits = classification ? new Shape(batch, classes) : new Shape(batch, frames, classes);
        return hidden.getManager().create(OrtSupport.values(result, LinearHeadGraph.OUTPUT), logits);
      }
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime failed in head " + index + ": " + e.getMessage(), e);
    } finally {
      inputs.values().forEach(OnnxTensor::close);
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      OrtSupport.closeAll(sessions);
    }
  }
}
