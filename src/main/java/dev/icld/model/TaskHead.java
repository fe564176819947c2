package dev.icld.model;

import ai.djl.ndarray.NDArray;

/** A task head on top of one hidden state of the backbone. */
public interface TaskHead {
  /** "classification" or "ctc", as stored in a task model's icld.json. */
  String type();

  /** Output classes. */
  int classes();

  /** The head's weight [classes, hidden] and bias [classes]. */
  NDArray weight();

  NDArray bias();

  /**
   * @param hidden a hidden state [B, T, D]
   * @param frameLengths valid frames per utterance; padded frames never influence the result
   * @return logits: [B, classes] for classification, [B, T, classes] for CTC
   */
  NDArray logits(NDArray hidden, int[] frameLengths);
}
