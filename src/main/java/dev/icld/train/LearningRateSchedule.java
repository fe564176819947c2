package dev.icld.train;

/**
 * Linear warm-up from 0 to the peak rate, then a decay to 0 at the last step (linear or cosine),
 * or a constant rate after warm-up.
 */
public record LearningRateSchedule(double peak, int warmupSteps, int totalSteps, Decay decay) {
  public enum Decay {
    LINEAR,
    COSINE,
    CONSTANT
  }

  public LearningRateSchedule {
    if (peak <= 0 || warmupSteps < 0 || totalSteps <= 0 || warmupSteps > totalSteps) {
      throw new IllegalArgumentException(
          "need peak > 0 and 0 <= warm-up <= total steps, got peak " + peak + ", warm-up "
              + warmupSteps + ", total " + totalSteps);
    }
  }

  /** The rate for a 0-based optimizer step. */
  public double rate(int step) {
    if (step < warmupSteps) {
      return peak * (step + 1) / warmupSteps;
    }
    if (decay == Decay.CONSTANT || totalSteps == warmupSteps) {
      return peak;
    }
    double progress = Math.min(1.0, (step - warmupSteps) / (double) (totalSteps - warmupSteps));
    return switch (decay) {
      case LINEAR -> peak * (1 - progress);
      case COSINE -> peak * 0.5 * (1 + Math.cos(Math.PI * progress));
      case CONSTANT -> peak;
    };
  }
}
