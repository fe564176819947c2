package dev.icld.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.icld.data.Batch;
import dev.icld.data.Utterance;
import dev.icld.model.FoundationModel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The frozen conv feature encoder's output per training utterance, computed on its first batch and
 * reused on every later epoch, so that a step runs only the projection, the layers and the head.
 *
 * <p>An utterance's row depends on the padded length of its batch as well as on its audio (the
 * group norm of wav2vec 2.0 Base and HuBERT averages over the padding too), and batches are cut
 * anew each epoch, so a row is kept per (utterance, padded length). Rows are plain float arrays on
 * the Java heap; once {@code capacityBytes} are held, further rows are computed and not kept.
 *
 * <p>A step must give the same numbers with or without the cache, to the bit. libtorch's conv
 * gives a row the same bits in any batch of two or more rows of the same padded length, whichever
 * the other rows are, but other bits in a batch of one (a different kernel; {@code
 * FineTuningTest} checks both). So rows of one-utterance batches are kept apart, and a lone
 * missing row of a larger batch is computed beside a copy of itself.
 */
final class FeatureCache {
  /** Per kept row, the array header and the map entry, roughly. */
  private static final long ROW_OVERHEAD_BYTES = 96;

  private record Key(Utterance utterance, int paddedSamples, boolean alone) {}

  private final FoundationModel backbone;
  private final long capacityBytes;
  private final Map<Key, float[]> rows = new HashMap<>();
  private final int channels;
  private long bytes;
  private boolean overflowed;

  FeatureCache(FoundationModel backbone, long capacityBytes) {
    this.backbone = backbone;
    this.capacityBytes = capacityBytes;
    List<Integer> convDims = backbone.config().convDim();
    this.channels = convDims.get(convDims.size() - 1);
  }

  /** The conv features [B, T, C] of a batch, in {@code manager}, without a gradient. */
  NDArray features(Batch batch, NDManager manager) {
    if (batch.utterances().size() != batch.size()) {
      throw new IllegalArgumentException("the feature cache needs each batch's utterances, got "
          + batch.utterances().size() + " for " + batch.size() + " rows");
    }
    int padded = batch.maxLength();
    boolean alone = batch.size() == 1;
    int frames = backbone.frames(padded);
    int rowSize = frames * channels;
    float[][] found = new float[batch.size()][];
    List<Integer> missing = new ArrayList<>();
    for (int b = 0; b < batch.size(); b++) {
      found[b] = rows.get(new Key(batch.utterances().get(b), padded, alone));
      if (found[b] == null) {
        missing.add(b);
      }
    }
    if (!missing.isEmpty()) {
      float[][] audio = new float[!alone && missing.size() == 1 ? 2 : missing.size()][];
      for (int i = 0; i < audio.length; i++) {
        audio[i] = batch.audio()[missing.get(Math.min(i, missing.size() - 1))];
      }
      try (NDManager scratch = manager.newSubManager()) {
        NDArray computed = backbone.featureEncoderOutput(scratch.create(audio));
        float[] values = computed.toFloatArray();
        for (int i = 0; i < missing.size(); i++) {
          float[] row = new float[rowSize];
          System.arraycopy(values, i * rowSize, row, 0, rowSize);
          found[missing.get(i)] = row;
          long cost = 4L * rowSize + ROW_OVERHEAD_BYTES;
          if (bytes + cost <= capacityBytes) {
            rows.put(new Key(batch.utterances().get(missing.get(i)), padded, alone), row);
            bytes += cost;
          } else {
            overflowed = true;
          }
        }
      }
    }
    float[] stacked = new float[batch.size() * rowSize];
    for (int b = 0; b < batch.size(); b++) {
      System.arraycopy(found[b], 0, stacked, b * rowSize, rowSize);
    }
    return manager.create(stacked, new Shape(batch.size(), frames, channels));
  }

  /** Rows held: one per (utterance, padded length, batch of one or not) seen. */
  int rows() {
    return rows.size();
  }

  /** Heap the rows take, roughly (their floats and per-row overhead). */
  long bytes() {
    return bytes;
  }

  /** Whether a row was left out for lack of room (and is computed again on each use). */
  boolean overflowed() {
    return overflowed;
  }
}
