package dev.icld.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * WavLM's bucketed relative position bias: every (query i, key j) pair falls into a bucket of the
 * relative position j - i (one half of the buckets for keys after the query, one for the rest;
 * exact buckets for small distances, logarithmic ones up to max_bucket_distance), and each bucket
 * has a learned bias per head ({@link Architecture.PositionBias}: one table that every layer
 * shares, computed here, outside the layers, so that it exists even when layer 0 is skipped).
 *
 * <p>No external reference: torchaudio 0.13 has no WavLM, so the bucketing is tested against
 * values worked out by hand from the formula, not against another implementation.
 */
public final class RelativePositionBias {
  private final NDArray table;
  private final int numBuckets;
  private final int maxDistance;

  RelativePositionBias(NDArray table, int numBuckets, int maxDistance) {
    this.table = table;
    this.numBuckets = numBuckets;
    this.maxDistance = maxDistance;
  }

  static RelativePositionBias load(WeightSource weights, Architecture.PositionBias bias) {
    return new RelativePositionBias(weights.take(bias.relAttnEmbed()), bias.numBuckets(),
        bias.maxBucketDistance());
  }

  /**
   * The bucket of relative position {@code relative} = key - query. Distances are scaled in
   * float32 as Hugging Face does, so that rounding at bucket edges agrees.
   */
  static int bucket(int relative, int numBuckets, int maxDistance) {
    int half = numBuckets / 2;
    int offset = relative > 0 ? half : 0;
    int distance = Math.abs(relative);
    int maxExact = half / 2;
    if (distance < maxExact) {
      return offset + distance;
    }
    float logRatio = (float) Math.log((float) distance / maxExact);
    float scaled = logRatio / (float) Math.log((double) maxDistance / maxExact) * (half - maxExact);
    return offset + Math.min((int) (maxExact + scaled), half - 1);
  }

  /**
   * The bucket of every (query i, key j) pair of a sequence of {@code frames}, row-major [T, T]:
   * the row of the table [num_buckets, heads] that the pair's bias comes from.
   */
  public static long[] buckets(int frames, Architecture.PositionBias bias) {
    return buckets(frames, bias.numBuckets(), bias.maxBucketDistance());
  }

  private static long[] buckets(int frames, int numBuckets, int maxDistance) {
    long[] relative = new long[2 * frames - 1];
    for (int r = -(frames - 1); r < frames; r++) {
      relative[r + frames - 1] = bucket(r, numBuckets, maxDistance);
    }
    long[] pairs = new long[frames * frames];
    for (int i = 0; i < frames; i++) {
      for (int j = 0; j < frames; j++) {
        pairs[i * frames + j] = relative[j - i + frames - 1];
      }
    }
    return pairs;
  }

  /** The position bias [H, T, T] for a sequence of {@code frames}, created in {@code manager}. */
  NDArray compute(int frames, NDManager manager) {
    int heads = (int) table.getShape().get(1);
    long[] pairs = buckets(frames, numBuckets, maxDistance);
    long[] flatIndex = new long[heads * pairs.length];
    for (int h = 0; h < heads; h++) {
      for (int p = 0; p < pairs.length; p++) {
        flatIndex[h * pairs.length + p] = pairs[p] * heads + h;
      }
    }
    NDArray index = manager.create(flatIndex, new Shape(heads, frames, frames));
    // torch.take reads the table as flattened row-major [bucket, head], hence bucket * H + h.
    return table.take(manager, index);
  }
}
