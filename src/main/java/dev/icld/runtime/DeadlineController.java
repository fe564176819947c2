package dev.icld.runtime;

/**
 * Chooses per call the largest number of layers whose predicted latency fits a deadline. The
 * prediction is a {@link LatencyModel} calibrated on this machine, scaled by a load factor: an
 * exponentially weighted average of observed / predicted latency over recent calls. When the
 * machine gets busier calls take longer than predicted, the factor grows and fewer layers are
 * chosen; when it calms down the factor falls back and more layers run. Thread-safe: concurrent
 * calls plan and observe under one lock (both are a few arithmetic operations).
 */
public final class DeadlineController {
  /** Weight of the newest observation in the load factor. */
  public static final double DEFAULT_SMOOTHING = 0.3;
  /** One call's ratio is clipped to this range so that a single outlier (a GC pause) cannot swamp
   * the factor. */
  private static final double MIN_RATIO = 0.1;
  private static final double MAX_RATIO = 10;

  private final LatencyModel model;
  private final int layers;
  private final double smoothing;
  private double loadFactor = 1;

  /**
   * @param model latency predicted under the load seen at calibration
   * @param layers L, the most layers a call can run
   * @param smoothing the newest observation's weight in the load factor, in (0, 1]
   */
  public DeadlineController(LatencyModel model, int layers, double smoothing) {
    if (layers < 1) {
      throw new IllegalArgumentException("a model needs at least one layer, got " + layers);
    }
    if (!(smoothing > 0 && smoothing <= 1)) {
      throw new IllegalArgumentException("smoothing must be in (0, 1], got " + smoothing);
    }
    this.model = model;
    this.layers = layers;
    this.smoothing = smoothing;
  }

  public LatencyModel model() {
    return model;
  }

  public int layers() {
    return layers;
  }

  /** The current observed / predicted latency ratio (1 on a machine as busy as at calibration). */
  public synchronized double loadFactor() {
    return loadFactor;
  }

  /** The most layers (at least 1, at most L) predicted to finish a call of {@code shape} in time. */
  public synchronized DeadlinePlan plan(double deadlineMs, CallShape shape) {
    if (!(deadlineMs > 0)) {
      throw new IllegalArgumentException("a deadline must be positive, got " + deadlineMs);
    }
    for (int k = layers; k >= 1; k--) {
      double predicted = loadFactor * model.predictMs(shape, k);
      if (predicted <= deadlineMs) {
        return new DeadlinePlan(deadlineMs, k, predicted, true, loadFactor);
      }
    }
    return new DeadlinePlan(deadlineMs, 1, loadFactor * model.predictMs(shape, 1), false, loadFactor);
  }

  /** Feeds the measured latency of a call of {@code shape} that ran {@code executedLayers} layers. */
  public synchronized void observe(CallShape shape, int executedLayers, double observedMs) {
    double predicted = model.predictMs(shape, executedLayers);
    if (!(predicted > 0) || !(observedMs >= 0)) {
      return;
    }
    double ratio = Math.min(MAX_RATIO, Math.max(MIN_RATIO, observedMs / predicted));
    loadFactor = (1 - smoothing) * loadFactor + smoothing * ratio;
  }
}
