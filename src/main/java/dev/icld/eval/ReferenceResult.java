package dev.icld.eval;

import com.google.gson.JsonObject;
import dev.icld.metrics.Outcome;
import java.nio.file.Path;
import java.util.List;

/**
 * A reference that is not a layer-dropping method (scratch-cnn: a small network trained from
 * scratch) on the same test set: no budget, no layers, left out of the paired comparisons.
 *
 * @param method its name in the reports
 * @param accuracy on the test set
 * @param interval the 95% bootstrap interval of the accuracy over utterances {low, high}
 * @param parameters its parameter count
 * @param gflopsPerAudioSecond analytical compute of the network over the test set's audio (the
 *     log-mel features not counted)
 * @param latencyMsP50 median measured time per utterance at batch size 1, features included,
 *     after warm-up (always on DJL)
 * @param dir where it was trained and is kept
 * @param training how it was trained: recipe, dev accuracy, best epoch, training time
 * @param reused whether this run reused a network trained earlier
 * @param outcomes every test utterance's outcome; not written to reports
 */
public record ReferenceResult(String method, double accuracy, double[] interval,
    long parameters, double gflopsPerAudioSecond, double latencyMsP50, Path dir,
    JsonObject training, boolean reused, List<Outcome> outcomes) {
  public ReferenceResult {
    interval = interval.clone();
    training = training.deepCopy();
    outcomes = List.copyOf(outcomes);
  }

  @Override
  public double[] interval() {
    return interval.clone();
  }

  @Override
  public JsonObject training() {
    return training.deepCopy();
  }
}
