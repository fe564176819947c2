package dev.icld.model;

import ai.djl.ndarray.NDArray;

/**
 * What computes a task model's head logits from a backbone output, on some engine:
 * {@link TaskModel} itself (DJL), or the heads exported to ONNX Runtime in the runtime package.
 * Results are NDArrays in the manager of the output's hidden states.
 */
public interface HeadEngine {
  /**
   * @param index a head of the task model (for early exit, one per exit layer)
   * @return [B, classes] for classification, [B, T, classes] for CTC
   */
  NDArray logits(ModelOutput output, int index);
}
