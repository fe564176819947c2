package dev.icld.runtime;

import dev.icld.model.BackboneEngine;
import dev.icld.model.FoundationModel;
import dev.icld.model.HeadEngine;
import dev.icld.model.TaskModel;
import dev.icld.runtime.onnx.OnnxBackbone;
import dev.icld.runtime.onnx.OnnxHeads;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The engines a task model can run inference on, by the names the command line uses. The layer
 * selector runs on DJL with either: it reads the engine's front-end features, and costs 0.1 to
 * 0.3% of the backbone, too little to be worth a second export path.
 */
public enum InferenceEngine {
  /** PyTorch eager through DJL: the loaded model itself. */
  DJL(FoundationModel.ENGINE),
  /** ONNX Runtime, one session per exported component (see {@link OnnxBackbone}). */
  ONNX(OnnxBackbone.ENGINE);

  private final String id;

  InferenceEngine(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  /**
   * @throws IllegalArgumentException naming the unknown engine and the known ones
   */
  public static InferenceEngine fromId(String id) {
    for (InferenceEngine engine : values()) {
      if (engine.id.equals(id)) {
        return engine;
      }
    }
    throw new IllegalArgumentException("unknown engine \"" + id + "\" (expected "
        + Arrays.stream(values()).map(InferenceEngine::id).collect(Collectors.joining(" or ")) + ")");
  }

  /**
   * {@code model}'s backbone and heads on this engine; the model must stay open while they are
   * used. On DJL they are the model itself; on ONNX Runtime an export of each component, with its
   * own copy of the weights, released when the returned session closes (the model is never closed
   * by it).
   *
   * @throws IllegalArgumentException when the model cannot run on this engine (ONNX Runtime
   *     refuses an exported graph), naming the engine, the component and the reason
   */
  public Session open(TaskModel model) {
    if (this == DJL) {
      return new Session(model.backbone(), model, List.of());
    }
    OnnxBackbone backbone;
    try {
      backbone = OnnxBackbone.export(model.backbone(), OnnxBackbone.Options.defaults());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("engine " + id + ": " + e.getMessage() + " (engine "
          + DJL.id + " runs this " + model.backbone().config().modelType().id() + " model)", e);
    }
    try {
      OnnxHeads heads = OnnxHeads.export(model, OnnxBackbone.Options.defaults());
      return new Session(backbone, heads, List.of(heads, backbone));
    } catch (RuntimeException e) {
      backbone.close();
      throw e;
    }
  }

  /** A task model opened on an engine: what runs its backbone and what runs its heads. */
  public static final class Session implements AutoCloseable {
    private final BackboneEngine backbone;
    private final HeadEngine heads;
    private final List<AutoCloseable> exports;

    private Session(BackboneEngine backbone, HeadEngine heads, List<AutoCloseable> exports) {
      this.backbone = backbone;
      this.heads = heads;
      this.exports = exports;
    }

    public BackboneEngine backbone() {
      return backbone;
    }

    public HeadEngine heads() {
      return heads;
    }

    /** Releases the exported components (nothing on DJL). */
    @Override
    public void close() {
      for (AutoCloseable export : exports) {
        try {
          export.close();
        } catch (Exception e) {
          throw new IllegalStateException("closing the " + backbone.engineName() + " engine: "
              + e.getMessage(), e);
        }
      }
    }
  }
}
