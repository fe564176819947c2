package dev.icld.cli;

import dev.icld.runtime.InferenceEngine;
import picocli.CommandLine.Option;

/** {@code --engine}, as the commands that run a model take it (a picocli mixin). */
final class EngineOption {
  @Option(names = "--engine", defaultValue = "djl", paramLabel = "NAME",
      description = "backbone engine: djl (PyTorch eager through DJL) or onnx (ONNX Runtime, "
          + "the model exported per component); the layer selector runs on djl "
          + "(default: ${DEFAULT-VALUE})")
  String id;

  /** @throws IllegalArgumentException for a name that is not an engine */
  InferenceEngine chosen() {
    return InferenceEngine.fromId(id);
  }
}
