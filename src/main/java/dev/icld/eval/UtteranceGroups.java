package dev.icld.eval;

import dev.icld.data.Corpus;
import dev.icld.metrics.Outcome;
import dev.icld.model.TaskModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The groups whose layer choices the selection heatmap compares: the class of each utterance for
 * classification, and for ASR a length bucket (quartiles of the test set's durations).
 *
 * @param kind "class" or "length"
 * @param names one name per group, in display order
 * @param groupOf per utterance, its group's index
 */
public record UtteranceGroups(String kind, List<String> names, int[] groupOf) {
  public static final int LENGTH_BUCKETS = 4;

  public static UtteranceGroups of(TaskModel model, Corpus corpus) {
    int[] groupOf = new int[corpus.size()];
    if (model.task().classification()) {
      for (int u = 0; u < corpus.size(); u++) {
        groupOf[u] = model.labels().indexOf(corpus.get(u).entry().label());
      }
      return new UtteranceGroups("class", model.labels().labels(), groupOf);
    }
    double[] sorted = corpus.durations().clone();
    Arrays.sort(sorted);
    double[] edges = new double[LENGTH_BUCKETS + 1];
    for (int b = 0; b <= LENGTH_BUCKETS; b++) {
      edges[b] = Bootstrap.percentile(sorted, b / (double) LENGTH_BUCKETS);
    }
    // Hundredths for short clips, whose quartiles a tenth of a second cannot tell apart.
    String format = edges[LENGTH_BUCKETS] < 10 ? "%.2f-%.2f s" : "%.1f-%.1f s";
    List<String> names = new ArrayList<>();
    for (int b = 0; b < LENGTH_BUCKETS; b++) {
      names.add(String.format(format, edges[b], edges[b + 1]));
    }
    for (int u = 0; u < corpus.size(); u++) {
      double d = corpus.get(u).durationSeconds();
      int bucket = 0;
      while (bucket < LENGTH_BUCKETS - 1 && d > edges[bucket + 1]) {
        bucket++;
      }
      groupOf[u] = bucket;
    }
    return new UtteranceGroups("length", names, groupOf);
  }

  /** Per group, how often each layer ran (fraction of the group's outcomes), [groups][L]. */
  public double[][] selectionFrequencies(List<Outcome> outcomes, int layers) {
    double[][] frequencies = new double[names.size()][layers];
    int[] counts = new int[names.size()];
    for (Outcome o : outcomes) {
      int g = groupOf[o.utterance()];
      counts[g]++;
      boolean[] mask = o.mask();
      for (int i = 0; i < layers; i++) {
        frequencies[g][i] += mask[i] ? 1 : 0;
      }
    }
    for (int g = 0; g < frequencies.length; g++) {
      for (int i = 0; i < layers; i++) {
        frequencies[g][i] = counts[g] == 0 ? 0 : frequencies[g][i] / counts[g];
      }
    }
    return frequencies;
  }
}
