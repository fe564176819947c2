package dev.icld.data.synth;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Sentences partitioned between splits by a hash of their text (10% test, 10% dev, 80% train),
 * so no test sentence is ever heard in training, whatever the seed; each pool is then shuffled by
 * the seed and dealt out in order.
 */
final class SentencePools {
  private final Map<Split, List<String>> pools = new EnumMap<>(Split.class);
  private final Map<Split, Integer> next = new EnumMap<>(Split.class);

  SentencePools(List<String> sentences, int minWords, int maxWords, long seed, String stream) {
    for (Split s : Split.values()) {
      pools.put(s, new ArrayList<>());
      next.put(s, 0);
    }
    for (String sentence : sentences) {
      int words = sentence.split(" ").length;
      if (words >= minWords && words <= maxWords) {
        pools.get(splitOf(sentence)).add(sentence);
      }
    }
    for (Split s : Split.values()) {
      Collections.shuffle(pools.get(s), new Random(StableHash.itemSeed(seed, stream, s.ordinal())));
      if (pools.get(s).isEmpty()) {
        throw new IllegalArgumentException("no " + minWords + "-" + maxWords
            + " word sentences for the " + s.id() + " split");
      }
    }
  }

  static Split splitOf(String sentence) {
    int bucket = (int) Long.remainderUnsigned(StableHash.of(sentence), 10);
    return bucket == 0 ? Split.TEST : bucket == 1 ? Split.DEV : Split.TRAIN;
  }

  /** The next sentence of the split's pool, starting over when all have been used. */
  String next(Split split) {
    List<String> pool = pools.get(split);
    int i = next.get(split);
    next.put(split, i + 1);
    return pool.get(i % pool.size());
  }

  int size(Split split) {
    return pools.get(split).size();
  }
}
