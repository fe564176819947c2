package dev.icld.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a run stands, as saved in each checkpoint (trainer.json). Together with the trainable
 * parameters and the optimizer state it is all a resume needs: batch order comes from (seed,
 * epoch) and random numbers from (seed, step).
 */
final class TrainingState {
  /** One dev evaluation. */
  static final class DevResult {
    int step;
    int epoch;
    String metric;
    double score;
    Map<String, Double> metrics = new LinkedHashMap<>();
  }

  /** The epoch in progress (0-based). */
  int epoch;
  /** The next batch of {@link #epoch} to train on (its index in the epoch's batch plan). */
  int batchInEpoch;
  /** Optimizer steps taken. */
  int globalStep;
  /** The best dev score so far, or null before the first evaluation. */
  Double bestScore;
  int bestStep;
  /**
   * SHA-256 of best.safetensors as the best evaluation wrote it, checked before the run's end
   * loads it; null in states written before icld recorded it.
   */
  String bestSha256;
  int evaluationsWithoutImprovement;
  /** Length of metrics.jsonl at this checkpoint: a resume cuts off anything logged after it. */
  long metricsBytes;
  /** The mean training loss of the last optimizer step. */
  double lastLoss = Double.NaN;
  /** Training time before this checkpoint, across every session of the run. */
  double trainSeconds;
  List<DevResult> evaluations = new ArrayList<>();
  /** Why the run ended, or null while it is still going. */
  String stopReason;
}
