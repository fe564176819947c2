package dev.icld.eval;

import ai.djl.ndarray.NDManager;
import dev.icld.data.ProgressBar;
import dev.icld.inference.TaskOutput;
import java.util.List;

/**
 * Every utterance of a split under every candidate mask: the cross-entropy of the true label
 * (nats) and whether the predicted class was the label, both indexed [utterance][candidate].
 */
record CandidateScores(double[][] loss, boolean[][] correct) {
  /**
   * Runs each mask over the split's precomputed front ends, one progress step per mask.
   *
   * @param split a classification model's runner on the split the front ends belong to
   */
  static CandidateScores run(UtteranceRunner split, FrontEndBatches batches, List<boolean[]> masks,
      ProgressBar bar, NDManager manager) {
    int utterances = split.corpus().size();
    double[][] loss = new double[utterances][masks.size()];
    boolean[][] correct = new boolean[utterances][masks.size()];
    for (int c = 0; c < masks.size(); c++) {
      for (int b = 0; b < batches.size(); b++) {
        int[] rows = batches.utterances().get(b);
        List<TaskOutput> outputs =
            split.predictBatch(batches.frontEnds().get(b), masks.get(c), manager);
        for (int i = 0; i < rows.length; i++) {
          String label = split.corpus().get(rows[i]).entry().label();
          TaskOutput output = outputs.get(i);
          loss[rows[i]][c] = -Math.log(output.probabilities().get(label));
          correct[rows[i]][c] = output.label().equals(label);
        }
      }
      bar.step();
    }
    return new CandidateScores(loss, correct);
  }

  int utterances() {
    return loss.length;
  }

  int candidates() {
    return loss.length == 0 ? 0 : loss[0].length;
  }

  /** Per utterance, 1 where {@code candidateOf}'s candidate got it right, else 0. */
  double[] correctness(int[] candidateOf) {
    double[] hits = new double[loss.length];
    for (int u = 0; u < hits.length; u++) {
      hits[u] = correct[u][candidateOf[u]] ? 1 : 0;
    }
    return hits;
  }

  /** The mean loss when each utterance runs {@code candidateOf}'s candidate. */
  double meanLoss(int[] candidateOf) {
    double sum = 0;
    for (int u = 0; u < loss.length; u++) {
      sum += loss[u][candidateOf[u]];
    }
    return sum / loss.length;
  }
}
