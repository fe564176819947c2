package dev.icld.model;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * One named step of the fixed cost that every input pays before the first transformer layer
 * ({@link FoundationModel#frontEndStages}): the forward pass runs these same steps, so timing each
 * alone times the model's own code.
 */
public record FrontEndStage(String name, UnaryOperator<NDArray> forward) {
  /** {@code stages} applied in order. */
  static NDArray runAll(List<FrontEndStage> stages, NDArray input) {
    NDArray x = input;
    for (FrontEndStage stage : stages) {
      x = stage.forward().apply(x);
    }
    return x;
  }
}
