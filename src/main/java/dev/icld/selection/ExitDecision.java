package dev.icld.selection;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * The dynamic-exit decision for one batch, fed one exit at a time so that the caller can stop
 * running layers for utterances that are done: run layer 1 for {@link #running()}, compute their
 * exit-1 posteriors, {@link #observe} them, run layer 2 for those still running, and so on. After
 * exit L every utterance has stopped.
 */
public final class ExitDecision {
  private final EntropyExit rule;
  private final int[] exits;
  private int nextExit = 1;

  ExitDecision(EntropyExit rule, int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
    }
    this.rule = rule;
    this.exits = new int[batchSize];
  }

  /** The exit (1..L) expected next. */
  public int nextExit() {
    return nextExit;
  }

  /** Utterances (batch indices, ascending) that have not stopped yet. */
  public int[] running() {
    return IntStream.range(0, exits.length).filter(b -> exits[b] == 0).toArray();
  }

  public boolean finished() {
    return running().length == 0;
  }

  /**
   * Feeds exit {@link #nextExit()}: {@code entropies[i]} belongs to {@code utterances[i]}, which
   * must be exactly the utterances still running.
   *
   * @return the utterances that stopped at this exit
   */
  public int[] observe(int[] utterances, double[] entropies) {
    if (finished()) {
      throw new IllegalStateException("every utterance has already exited");
    }
    if (!Arrays.equals(utterances, running())) {
      throw new IllegalArgumentException("exit " + nextExit + " must be fed the running utterances "
          + Arrays.toString(running()) + ", got " + Arrays.toString(utterances));
    }
    if (entropies.length != utterances.length) {
      throw new IllegalArgumentException(
          utterances.length + " utterances but " + entropies.length + " entropies");
    }
    boolean last = nextExit == rule.layers();
    int[] stopped = new int[utterances.length];
    int n = 0;
    for (int i = 0; i < utterances.length; i++) {
      if (last || rule.stops(entropies[i])) {
        exits[utterances[i]] = nextExit;
        stopped[n++] = utterances[i];
      }
    }
    nextExit++;
    return Arrays.copyOf(stopped, n);
  }

  /** {@link #observe} from class posteriors, one probability vector per running utterance. */
  public int[] observePosteriors(int[] utterances, float[][] posteriors) {
    double[] entropies = new double[posteriors.length];
    for (int i = 0; i < posteriors.length; i++) {
      entropies[i] = EntropyExit.entropy(posteriors[i]);
    }
    return observe(utterances, entropies);
  }

  /** The selection once every utterance has stopped: the prefix up to its exit, read there. */
  public Selection selection() {
    if (!finished()) {
      throw new IllegalStateException(
          "utterances " + Arrays.toString(running()) + " have not exited yet");
    }
    boolean[][] masks = new boolean[exits.length][rule.layers()];
    for (int b = 0; b < exits.length; b++) {
      Arrays.fill(masks[b], 0, exits[b], true);
    }
    return new Selection(masks, exits);
  }
}
