package dev.icld.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Turns a {@link Corpus} into padded {@link Batch}es, epoch by epoch, in the order a
 * {@link BatchSampler} gives. With {@code prefetch > 0}, a background thread decodes up to that
 * many batches ahead while the caller trains on the current one. Close it to stop that thread.
 * With a {@link SpeedPerturbation}, every epoch's batches play each utterance at its own speed;
 * {@link #load(int[])} always gives the audio as recorded.
 */
public final class BatchLoader implements AutoCloseable {
  private static final int NO_EPOCH = -1;
  private final Corpus corpus;
  private final LabelVocabulary labels;
  private final BatchSampler sampler;
  private final int prefetch;
  private final SpeedPerturbation perturbation;
  private final ExecutorService prefetcher;

  /**
   * @param labels the training vocabulary; required for a {@link TargetKind#LABEL} corpus, and
   *     must be null for any other
   * @param prefetch batches decoded ahead in the background; 0 decodes on the caller's thread
   */
  public BatchLoader(Corpus corpus, LabelVocabulary labels, BatchSampler.Options options,
      int prefetch) {
    this(corpus, labels, options, prefetch, null);
  }

  /** @param perturbation speeds for the epochs' batches; null plays the audio as recorded */
  public BatchLoader(Corpus corpus, LabelVocabulary labels, BatchSampler.Options options,
      int prefetch, SpeedPerturbation perturbation) {
    if ((corpus.target() == TargetKind.LABEL) != (labels != null)) {
      throw new IllegalArgumentException(corpus.target() == TargetKind.LABEL
          ? corpus.manifest() + ": a labelled corpus needs the training label vocabulary"
          : corpus.manifest() + ": a label vocabulary only applies to a labelled corpus");
    }
    if (prefetch < 0) {
      throw new IllegalArgumentException("prefetch must not be negative, got " + prefetch);
    }
    this.corpus = corpus;
    this.labels = labels;
    this.sampler = new BatchSampler(corpus.durations(), options);
    this.prefetch = prefetch;
    this.perturbation = perturbation;
    this.prefetcher = prefetch == 0 ? null : Executors.newSingleThreadExecutor(task -> {
      Thread thread = new Thread(task, "batch-prefetch");
      thread.setDaemon(true);
      return thread;
    });
  }

  public Corpus corpus() {
    return corpus;
  }

  /** The batches of one epoch, as index lists, without loading any audio. */
  public List<int[]> plan(int epoch) {
    return sampler.epoch(epoch);
  }

  /**
   * The batches of one epoch, loaded lazily in order. A file that fails to decode (a problem its
   * header did not show, or changed since loading) surfaces as an {@link UncheckedIOException}
   * naming it and its manifest line.
   */
  public Iterator<Batch> epoch(int epoch) {
    return new EpochIterator(plan(epoch), epoch);
  }

  /** Whether the epochs' batches are speed-perturbed (so their features differ every epoch). */
  public boolean perturbs() {
    return perturbation != null;
  }

  /** Loads and pads the given utterances, in this order, as recorded. */
  public Batch load(int[] indices) throws IOException {
    return load(indices, NO_EPOCH);
  }

  /**
   * Loads and pads the given utterances of one epoch's plan, in this order, each at that epoch's
   * speed when the loader perturbs.
   */
  public Batch load(int[] indices, int epoch) throws IOException {
    List<Utterance> utterances = new ArrayList<>(indices.length);
    float[][] waveforms = new float[indices.length][];
    int maxLength = 0;
    for (int row = 0; row < indices.length; row++) {
      utterances.add(corpus.get(indices[row]));
      waveforms[row] = corpus.samples(indices[row]);
      if (perturbation != null && epoch != NO_EPOCH) {
        waveforms[row] = SpeedPerturbation.apply(waveforms[row],
            perturbation.factor(epoch, indices[row]));
      }
      maxLength = Math.max(maxLength, waveforms[row].length);
    }
    float[][] audio = new float[indices.length][maxLength];
    boolean[][] mask = new boolean[indices.length][maxLength];
    int[] lengths = new int[indices.length];
    for (int row = 0; row < indices.length; row++) {
      lengths[row] = waveforms[row].length;
      System.arraycopy(waveforms[row], 0, audio[row], 0, lengths[row]);
      Arrays.fill(mask[row], 0, lengths[row], true);
    }
    return switch (corpus.target()) {
      case LABEL -> new Batch(utterances, audio, lengths, mask, labelIndices(utterances), null, null);
      case TRANSCRIPT -> withTranscripts(utterances, audio, lengths, mask);
      case NONE -> new Batch(utterances, audio, lengths, mask, null, null, null);
    };
  }

  private int[] labelIndices(List<Utterance> utterances) {
    return utterances.stream().mapToInt(u -> labels.indexOf(u.entry().label())).toArray();
  }

  private static Batch withTranscripts(
      List<Utterance> utterances, float[][] audio, int[] lengths, boolean[][] mask) {
    int[][] encoded = utterances.stream()
        .map(u -> CharacterVocabulary.encode(u.entry().transcript()))
        .toArray(int[][]::new);
    int longest = 0;
    for (int[] e : encoded) {
      longest = Math.max(longest, e.length);
    }
    int[][] targets = new int[encoded.length][longest];
    int[] targetLengths = new int[encoded.length];
    for (int row = 0; row < encoded.length; row++) {
      System.arraycopy(encoded[row], 0, targets[row], 0, encoded[row].length);
      targetLengths[row] = encoded[row].length;
    }
    return new Batch(utterances, audio, lengths, mask, null, targets, targetLengths);
  }

  @Override
  public void close() {
    if (prefetcher != null) {
      prefetcher.shutdownNow();
    }
  }

  /** Walks one epoch's plan, keeping up to {@code prefetch} batches decoding ahead. */
  private final class EpochIterator implements Iterator<Batch> {
    private final List<int[]> plan;
    private final int epoch;
    private final Deque<Future<Batch>> pending = new ArrayDeque<>();
    private int nextIndex;

    EpochIterator(List<int[]> plan, int epoch) {
      this.plan = plan;
      this.epoch = epoch;
      submitAhead();
    }

    private void submitAhead() {
      while (prefetcher != null && pending.size() < prefetch && nextIndex < plan.size()) {
        int[] indices = plan.get(nextIndex++);
        pending.add(prefetcher.submit(() -> load(indices, epoch)));
      }
    }

    @Override
    public boolean hasNext() {
      return !pending.isEmpty() || nextIndex < plan.size();
    }

    @Override
    public Batch next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      if (prefetcher == null) {
        try {
          return load(plan.get(nextIndex++), epoch);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      Future<Batch> head = pending.poll();
      submitAhead();
      try {
        return head.get();
      } catch (ExecutionException e) {
        if (e.getCause() instanceof IOException io) {
          throw new UncheckedIOException(io);
        }
        throw new IllegalStateException("loading a batch failed", e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for a batch", e);
      }
    }
  }
}
