package dev.icld.train;

import dev.icld.data.BatchLoader;

/**
 * Scores a model on a dev set. Metrics live in package eval, above train, so the caller that
 * builds an objective hands it the scoring to use.
 */
@FunctionalInterface
public interface DevEvaluator {
  Evaluation evaluate(BatchLoader dev);
}
