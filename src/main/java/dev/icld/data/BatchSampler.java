package dev.icld.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Splits a corpus into batches of utterance indices, one list per epoch. Every utterance is in
 * exactly one batch of every epoch; none is dropped, and an utterance longer than the seconds
 * limit forms a batch of its own.
 *
 * <p>With bucketing, utterances are sorted by duration before cutting, so a batch holds similar
 * lengths and little padding. When shuffling too, each duration is first scaled by a random
 * factor in [1 - {@value #BUCKET_JITTER}, 1 + {@value #BUCKET_JITTER}], so neighbours (and thus
 * batch contents) change from epoch to epoch at a small cost in padding; the batch order is then
 * shuffled. All randomness comes from (seed, epoch): same seed and epoch, same batches.
 */
public final class BatchSampler {
  static final double BUCKET_JITTER = 0.1;

  /**
   * @param maxUtterances most utterances in a batch; 0 for no limit
   * @param maxSeconds most padded audio in a batch (utterances x longest duration), which is what
   *     bounds memory; 0 for no limit
   * @param bucketByDuration group similar durations
   * @param shuffle random order (training); otherwise a fixed order (evaluation)
   * @param seed the randomness, combined with the epoch number
   */
  public record Options(
      int maxUtterances, double maxSeconds, boolean bucketByDuration, boolean shuffle, long seed) {
    public Options {
      if (maxUtterances < 0 || maxSeconds < 0) {
        throw new IllegalArgumentException("batch limits must not be negative");
      }
      if (maxUtterances == 0 && maxSeconds == 0) {
        throw new IllegalArgumentException(
            "give a batch limit: most utterances, most seconds of audio, or both");
      }
    }

    /** Training: bucketed and shuffled. */
    public static Options training(int maxUtterances, double maxSeconds, long seed) {
      return new Options(maxUtterances, maxSeconds, true, true, seed);
    }

    /** Evaluation: bucketed, shortest first, no randomness. */
    public static Options evaluation(int maxUtterances, double maxSeconds) {
      return new Options(maxUtterances, maxSeconds, true, false, 0);
    }
  }

  private final double[] durations;
  private final Options options;

  public BatchSampler(double[] durations, Options options) {
    this.durations = durations.clone();
    this.options = options;
  }

  /** The batches of one epoch, each an array of utterance indices. */
  public List<int[]> epoch(int epoch) {
    SplittableRandom random = new SplittableRandom(options.seed() * 0x9E3779B97F4A7C15L + epoch);
    Integer[] order = IntStream.range(0, durations.length).boxed().toArray(Integer[]::new);
    if (options.bucketByDuration()) {
      double[] keys = new double[durations.length];
      for (int i = 0; i < keys.length; i++) {
        double jitter = options.shuffle() ? BUCKET_JITTER * (2 * random.nextDouble() - 1) : 0;
        keys[i] = durations[i] * (1 + jitter);
      }
      Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> keys[i]).thenComparingInt(i -> i));
    } else if (options.shuffle()) {
      shuffle(order, random);
    }
    List<int[]> batches = cut(order);
    if (options.shuffle()) {
      int[][] shuffled = batches.toArray(int[][]::new);
      shuffle(shuffled, random);
      batches = List.of(shuffled);
    }
    return batches;
  }

  /** Greedy cut in the given order: a batch closes when the next utterance would break a limit. */
  private List<int[]> cut(Integer[] order) {
    List<int[]> batches = new ArrayList<>();
    List<Integer> current = new ArrayList<>();
    double longest = 0;
    for (int index : order) {
      double newLongest = Math.max(longest, durations[index]);
      boolean tooMany = options.maxUtterances() > 0 && current.size() + 1 > options.maxUtterances();
      boolean tooLong = options.maxSeconds() > 0
          && (current.size() + 1) * newLongest > options.maxSeconds();
      if (!current.isEmpty() && (tooMany || tooLong)) {
        batches.add(current.stream().mapToInt(Integer::intValue).toArray());
        current.clear();
        newLongest = durations[index];
      }
      current.add(index);
      longest = newLongest;
    }
    if (!current.isEmpty()) {
      batches.add(current.stream().mapToInt(Integer::intValue).toArray());
    }
    return batches;
  }

  private static <T> void shuffle(T[] items, SplittableRandom random) {
    for (int i = items.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      T swap = items[i];
      items[i] = items[j];
      items[j] = swap;
    }
  }
}
