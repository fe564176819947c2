package dev.icld.eval;

import dev.icld.metrics.Outcome;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One method at one budget on the test set.
 *
 * @param method full, random, early-exit, dynamic-exit, static, selector or adaptive
 * @param budget k, the layers the method may keep (for adaptive methods, the target average)
 * @param metrics accuracy, or wer and cer (for random: the mean over draws)
 * @param intervals per metric, the 95% bootstrap interval over utterances {low, high}
 * @param deviations random only: per metric, the standard deviation over draws (empty otherwise)
 * @param draws random only: per draw, the primary metric (empty otherwise)
 * @param meanExecutedLayers layers run per utterance, on average
 * @param gflopsPerAudioSecond analytical compute over the test set's audio, selector included
 * @param latencyMsP50 median measured time per utterance at batch size 1, after warm-up
 * @param outcomes every utterance's outcome (all draws for random); not written to reports
 * @param model the directory of the model that ran it
 */
public record MethodResult(String method, int budget, Map<String, Double> metrics,
    Map<String, double[]> intervals, Map<String, Double> deviations, List<Double> draws,
    double meanExecutedLayers, double gflopsPerAudioSecond, double latencyMsP50,
    List<Outcome> outcomes, Path model) {
  public MethodResult {
    metrics = Map.copyOf(metrics);
    intervals = Map.copyOf(intervals);
    deviations = Map.copyOf(deviations);
    draws = List.copyOf(draws);
    outcomes = List.copyOf(outcomes);
  }
}
