package dev.icld.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A dev-set result.
 *
 * @param metric the name of the metric that decides the best checkpoint (e.g. "accuracy",
 *     "negative_wer")
 * @param score its value, where higher is always better (error rates are given negated)
 * @param metrics every metric computed, by name, in their natural sign (e.g. "wer" positive)
 */
public record Evaluation(String metric, double score, Map<String, Double> metrics) {
  public Evaluation {
    metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
  }
}
