package dev.icld.eval;

import ai.djl.ndarray.NDManager;
import dev.icld.model.FrontEndOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The front end of every utterance of a split, computed once so that many masks can run on it,
 * in batches of utterances of exactly the same length (fixed-length clips, as keyword spotting
 * has, batch fully): padding would change the conv feature encoder's group norm statistics, so a
 * padded batch would not score as single utterances do.
 *
 * @param utterances per batch, the corpus indices of its rows
 * @param frontEnds per batch, its front end
 */
record FrontEndBatches(List<int[]> utterances, List<FrontEndOutput> frontEnds) {
  /** Utterances per batch. */
  static final int BATCH = 16;

  /** The split's front ends, in {@code manager}. */
  static FrontEndBatches of(UtteranceRunner split, NDManager manager) throws IOException {
    Integer[] order = new Integer[split.corpus().size()];
    for (int u = 0; u < order.length; u++) {
      order[u] = u;
    }
    Arrays.sort(order, (a, b) -> Integer.compare(split.corpus().get(a).samples(),
        split.corpus().get(b).samples()));
    List<int[]> batches = new ArrayList<>();
    List<FrontEndOutput> frontEnds = new ArrayList<>();
    for (int start = 0; start < order.length; ) {
      int end = start + 1;
      while (end < order.length && end - start < BATCH && split.corpus().get(order[end]).samples()
          == split.corpus().get(order[start]).samples()) {
        end++;
      }
      int[] batch = new int[end - start];
      List<float[]> waves = new ArrayList<>();
      for (int i = 0; i < batch.length; i++) {
        batch[i] = order[start + i];
        waves.add(split.corpus().samples(batch[i]));
      }
      batches.add(batch);
      frontEnds.add(split.core().frontEnd(waves, manager));
      start = end;
    }
    return new FrontEndBatches(batches, frontEnds);
  }

  int size() {
    return utterances.size();
  }
}
