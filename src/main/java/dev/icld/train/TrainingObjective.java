package dev.icld.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.icld.data.Batch;
import dev.icld.data.BatchLoader;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The model-specific half of training: what is trained and how a batch becomes a loss. The
 * {@link Trainer} owns everything else (optimizer, schedule, accumulation, clipping, evaluation
 * cadence, checkpoints, resume, logging). When the trainer returns, the parameters hold the best
 * dev checkpoint's values; saving the model is then the caller's business.
 */
public interface TrainingObjective {
  /**
   * Every trainable parameter by name, always the same map (same names, same arrays, updated in
   * place by the optimizer). Frozen parameters (such as a frozen feature encoder) are simply
   * absent. Names must be stable across runs: checkpoints are keyed by them.
   */
  Map<String, NDArray> parameters();

  /**
   * The parameters trained at {@link TrainerOptions#headLearningRate()} rather than the learning
   * rate (fresh task heads, which want a larger step than a pretrained encoder); none by default.
   */
  default Set<String> headParameterNames() {
    return Set.of();
  }

  /**
   * The forward pass and loss of one training batch. Called inside the trainer's gradient
   * collector, which then runs backward on {@link StepOutput#loss()}.
   *
   * @param batch the padded batch
   * @param manager where every array of this step is created; the trainer closes it after the
   *     backward pass
   * @param random the only source of randomness allowed (layer masks, span masks...); the
   *     trainer derives it from (seed, optimizer step, micro-batch), so a resumed run draws the
   *     same numbers. Never use DJL's random operators.
   */
  StepOutput step(Batch batch, NDManager manager, Random random);

  /** Scores the current parameters on a dev set, without gradients. */
  Evaluation evaluate(BatchLoader dev);
}
