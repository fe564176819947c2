package dev.icld.runtime;

import dev.icld.inference.TaskOutput;

/**
 * The answer to one inference call on one input.
 *
 * @param output the task output
 * @param executedLayers the transformer layers that ran (0-based, ascending); the others were never
 *     computed
 * @param layerCount L, the model's depth
 * @param policy the name of the layer-selection policy that chose them
 * @param flops analytical FLOPs of this input: backbone with the executed layers, selector (when it
 *     ran) and head
 * @param latency the measured time of the call; in a batch call, of the whole batch
 * @param deadline the controller's plan when the budget was a deadline, else null
 */
public record InferenceResult(TaskOutput output, int[] executedLayers, int layerCount,
    String policy, long flops, Latency latency, DeadlinePlan deadline) {
  public InferenceResult {
    executedLayers = executedLayers.clone();
  }

  @Override
  public int[] executedLayers() {
    return executedLayers.clone();
  }

  public int keptLayers() {
    return executedLayers.length;
  }

  public double gigaFlops() {
    return flops / 1e9;
  }

  /** Whether the call met its deadline (true when it had none). */
  public boolean metDeadline() {
    return deadline == null || latency.totalMs() <= deadline.deadlineMs();
  }
}
