package dev.icld.runtime;

/**
 * What the {@link DeadlineController} chose for one call.
 *
 * @param deadlineMs the deadline
 * @param layers the number of layers to run, in 1..L
 * @param predictedMs the predicted latency with that many layers, under the current load
 * @param feasible false when even one layer is predicted to miss the deadline (the call then runs
 *     one layer, the least it can)
 * @param loadFactor the observed / predicted latency ratio the prediction was scaled by
 */
public record DeadlinePlan(double deadlineMs, int layers, double predictedMs, boolean feasible,
    double loadFactor) {}
