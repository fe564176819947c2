package dev.icld.selection;

/**
 * The Gumbel relaxation's temperature over training: exponential decay from tau0 to tau_min over
 * {@code annealSteps} steps, then constant. A high temperature early gives smooth gradients to
 * every layer's logit; a low one late makes the relaxation close to the hard mask it stands for.
 */
public record TemperatureSchedule(double initial, double minimum, long annealSteps) {
  public TemperatureSchedule {
    if (!(minimum > 0 && initial >= minimum) || Double.isInfinite(initial)) {
      throw new IllegalArgumentException("temperatures need 0 < tau_min <= tau0 < infinity, got tau0 = "
          + initial + ", tau_min = " + minimum);
    }
    if (annealSteps < 1) {
      throw new IllegalArgumentException("anneal steps must be positive, got " + annealSteps);
    }
  }

  /** tau0 (tau_min / tau0)^(min(step / annealSteps, 1)). */
  public double at(long step) {
    if (step < 0) {
      throw new IllegalArgumentException("step must be >= 0, got " + step);
    }
    double progress = Math.min(1.0, step / (double) annealSteps);
    return initial * Math.pow(minimum / initial, progress);
  }
}
