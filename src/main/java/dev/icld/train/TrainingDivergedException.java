package dev.icld.train;

/**
 * The training loss stopped being a finite number: a setting to change (usually a lower learning
 * rate), not a bug, so the command line reports it in one line.
 */
public final class TrainingDivergedException extends IllegalStateException {
  public TrainingDivergedException(String message) {
    super(message);
  }
}
