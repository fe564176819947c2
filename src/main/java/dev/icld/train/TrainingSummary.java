package dev.icld.train;

/**
 * How a run ended.
 *
 * @param steps optimizer steps taken
 * @param epochs epochs completed
 * @param stopReason "epochs", "max steps", "early stopping", or "halted" (a test's simulated kill)
 * @param best the best dev evaluation, or null without a dev set
 * @param bestStep the step of {@code best}
 * @param lastLoss the mean training loss of the last step
 * @param trainSeconds training time across every session of the run
 */
public record TrainingSummary(int steps, int epochs, String stopReason, Evaluation best,
    int bestStep, double lastLoss, double trainSeconds) {}
