package dev.icld.runtime;

import dev.icld.model.BackboneEngine;
import dev.icld.model.FoundationModel;
import dev.icld.runtime.onnx.OnnxBackbone;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The engines a backbone can run inference on, by the names the command line uses. */
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
   * A backbone engine on {@code backbone}, which must stay open while it is used. The DJL engine is
   * the backbone itself; the ONNX engine is an export of it with its own copy of the weights,
   * released when the returned session closes (the backbone is never closed by it).
   *
   * @throws IllegalArgumentException when the backbone cannot run on this engine (ONNX: a WavLM
   *     backbone, whose relative position bias has no export), naming the engine and the reason
   */
  public Session open(FoundationModel backbone) {
    if (this == DJL) {
      return new Session(backbone, null);
    }
    try {
      OnnxBackbone onnx = OnnxBackbone.export(backbone, OnnxBackbone.Options.defaults());
      return new Session(onnx, onnx);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("engine " + id + ": " + e.getMessage()
          + " (engine " + DJL.id + " runs this " + backbone.config().modelType().id() + " model)", e);
    }
  }

  /**
   * An opened engine.
   *
   * @param backbone what runs the backbone
   * @param export the ONNX export that closing the session releases, or null on DJL
   */
  public record Session(BackboneEngine backbone, OnnxBackbone export) implements AutoCloseable {
    @Override
    public void close() {
      if (export != null) {
        export.close();
      }
    }
  }
}
