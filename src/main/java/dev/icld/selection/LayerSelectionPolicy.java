package dev.icld.selection;

import java.util.Set;

/**
 * Chooses, for each utterance of a batch and a budget, which transformer layers run. Training,
 * evaluation and inference all go through this one interface, so a policy behaves the same in
 * each. Policies may hold state (a random generator); make a fresh one, with its seed, for a
 * reproducible run.
 */
public interface LayerSelectionPolicy {
  /** A short stable name used in reports: full, random, early-exit, static, selector... */
  String name();

  /**
   * @param input what the policy may look at (only input-conditioned policies read it beyond its
   *     batch size)
   * @param budget how many layers to keep, out of the model's L
   * @throws IllegalArgumentException when the budget's L is not the policy's, or the input lacks
   *     what the policy reads
   */
  Selection select(SelectionInput input, Budget budget);

  /**
   * What {@link #select} reads of its input beyond the batch size, so that whoever builds the
   * input computes only that: nothing by default.
   */
  default Set<SelectionInput.Part> reads() {
    return Set.of();
  }

  /**
   * Moves on as if it had chosen for {@code utterances} single utterances under {@code budget},
   * without choosing: a worker that runs only some of a corpus's utterances skips the others, so
   * each utterance gets the layers it gets when one process runs them all in order. A policy
   * without state has nothing to move.
   */
  default void skip(int utterances, Budget budget) {}
}
