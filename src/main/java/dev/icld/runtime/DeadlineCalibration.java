package dev.icld.runtime;

import dev.icld.audio.Audio;
import dev.icld.model.FoundationModel;
import dev.icld.model.ModelConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Calibration: a model's {@link DeadlineController}, made on first use from the latencies of
 * calls on synthetic audio, or from a {@link LatencyModel} given.
 */
final class DeadlineCalibration {
  /** Lengths of the synthetic calibration inputs: two, to separate the per-second and per-FLOP
   * costs. */
  private static final double[] CALIBRATION_SECONDS = {1, 3};
  private static final int CALIBRATION_REPEATS = 3;

  /** One call with the default policy at a number of layers. */
  interface TimedCall {
    /** @return the call's total latency in milliseconds */
    double totalMs(Audio audio, int layers);
  }

  private final ModelConfig config;
  private final int layers;
  private final TimedCall call;
  private final Object lock = new Object();
  private volatile DeadlineController controller;

  DeadlineCalibration(ModelConfig config, int layers, TimedCall call) {
    this.config = config;
    this.layers = layers;
    this.call = call;
  }

  /**
   * The controller, calibrated on first use: a warm-up call, then calls on synthetic audio of
   * {@code CALIBRATION_SECONDS} at 1, L/2 and L layers, whose median latencies fit the
   * {@link LatencyModel}.
   */
  DeadlineController controller() {
    DeadlineController current = controller;
    if (current == null) {
      synchronized (lock) {
        if (controller == null) {
          controller = new DeadlineController(LatencyModel.fit(measurements()), layers,
              DeadlineController.DEFAULT_SMOOTHING);
        }
        current = controller;
      }
    }
    return current;
  }

  /** The controller, or null while none has been calibrated or given: nothing to observe yet. */
  DeadlineController calibrated() {
    return controller;
  }

  DeadlineController use(LatencyModel latencyModel) {
    synchronized (lock) {
      controller =
          new DeadlineController(latencyModel, layers, DeadlineController.DEFAULT_SMOOTHING);
      return controller;
    }
  }

  private List<LatencyModel.Measurement> measurements() {
    int[] layerCounts = Arrays.stream(new int[] {1, (layers + 1) / 2, layers}).distinct().toArray();
    Random random = new Random(0);
    List<LatencyModel.Measurement> measurements = new ArrayList<>();
    for (double seconds : CALIBRATION_SECONDS) {
      float[] noise = new float[(int) Math.round(seconds * FoundationModel.SAMPLE_RATE)];
      for (int i = 0; i < noise.length; i++) {
        noise[i] = (float) (0.1 * random.nextGaussian());
      }
      Audio audio = new Audio(noise, FoundationModel.SAMPLE_RATE);
      call.totalMs(audio, layers); // the warm-up, not measured
      for (int k : layerCounts) {
        double[] totals = new double[CALIBRATION_REPEATS];
        for (int r = 0; r < totals.length; r++) {
          totals[r] = call.totalMs(audio, k);
        }
        // The median repeat: the cost under the load of the moment, robust to one stray spike. (The
        // fastest repeat would describe an idle machine that a busy host never gives, and the first
        // calls after calibration would all overrun until the load factor caught up.)
        Arrays.sort(totals);
        measurements.add(new LatencyModel.Measurement(
            CallShape.of(config, List.of(seconds)), k, totals[totals.length / 2]));
      }
    }
    return measurements;
  }
}
