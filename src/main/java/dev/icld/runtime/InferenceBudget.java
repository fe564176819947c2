package dev.icld.runtime;

import dev.icld.selection.Budget;
import java.util.Locale;

/**
 * How much of the model one inference call may run, before the model's depth L is known: a number
 * of layers, a fraction of them, an adaptive budget (a target average fraction, which only the
 * input-conditioned selector can vary per input), or a deadline in milliseconds, for which the
 * {@link DeadlineController} picks the number of layers per call. {@link #resolve} turns the first
 * three into a {@link Budget} for a model of L layers.
 */
public final class InferenceBudget {
  /** The four forms. */
  public enum Kind {
    LAYERS, FRACTION, ADAPTIVE, DEADLINE
  }

  private final Kind kind;
  private final double value;

  private InferenceBudget(Kind kind, double value) {
    this.kind = kind;
    this.value = value;
  }

  /** Exactly {@code keep} layers (checked against the model's L when resolved). */
  public static InferenceBudget layers(int keep) {
    if (keep < 1) {
      throw new IllegalArgumentException("a budget must keep at least 1 layer, got " + keep);
    }
    return new InferenceBudget(Kind.LAYERS, keep);
  }

  /** The fixed number of layers nearest to {@code fraction} of them (at least one). */
  public static InferenceBudget fraction(double fraction) {
    checkFraction(fraction);
    return new InferenceBudget(Kind.FRACTION, fraction);
  }

  /** On average {@code fraction} of the layers, varying per input (the selector's adaptive mode). */
  public static InferenceBudget adaptive(double fraction) {
    checkFraction(fraction);
    return new InferenceBudget(Kind.ADAPTIVE, fraction);
  }

  /** As many layers as fit in {@code milliseconds} of latency, chosen per call. */
  public static InferenceBudget deadline(double milliseconds) {
    if (!(milliseconds > 0) || Double.isInfinite(milliseconds)) {
      throw new IllegalArgumentException("a deadline must be a positive number of milliseconds, got "
          + milliseconds);
    }
    return new InferenceBudget(Kind.DEADLINE, milliseconds);
  }

  private static void checkFraction(double fraction) {
    if (!(fraction > 0 && fraction <= 1)) {
      throw new IllegalArgumentException("a budget fraction must be in (0, 1], got " + fraction);
    }
  }

  /**
   * Parses the command-line forms: {@code 6} (layers), {@code 0.5} (a fraction: has a decimal
   * point), {@code adaptive:0.5}, {@code deadline:40ms} (or {@code deadline:40}).
   */
  public static InferenceBudget parse(String text) {
    String s = text.trim().toLowerCase(Locale.ROOT);
    try {
      if (s.startsWith("adaptive:")) {
        return adaptive(Double.parseDouble(s.substring("adaptive:".length())));
      }
      if (s.startsWith("deadline:")) {
        String ms = s.substring("deadline:".length());
        return deadline(Double.parseDouble(ms.endsWith("ms") ? ms.substring(0, ms.length() - 2) : ms));
      }
      if (s.contains(".")) {
        return fraction(Double.parseDouble(s));
      }
      return layers(Integer.parseInt(s));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("budget \"" + text + "\" is not one of: a number of layers "
          + "(6), a fraction (0.5), adaptive:FRACTION (adaptive:0.5) or deadline:MILLISECONDS "
          + "(deadline:40ms)");
    }
  }

  public Kind kind() {
    return kind;
  }

  public boolean isDeadline() {
    return kind == Kind.DEADLINE;
  }

  /** The deadline in milliseconds. */
  public double deadlineMillis() {
    if (kind != Kind.DEADLINE) {
      throw new IllegalStateException(this + " is not a deadline");
    }
    return value;
  }

  /**
   * The layer budget for a model of {@code layers} layers.
   *
   * @throws IllegalArgumentException when a number of layers exceeds L
   * @throws IllegalStateException for a deadline, which the {@link DeadlineController} resolves
   */
  public Budget resolve(int layers) {
    return switch (kind) {
      case LAYERS -> {
        if (value > layers) {
          throw new IllegalArgumentException("budget " + (int) value + " layers exceeds the model's "
              + layers + " layers");
        }
        yield Budget.of((int) value, layers);
      }
      case FRACTION -> Budget.ofFraction(value, layers);
      case ADAPTIVE -> Budget.ofFraction(value, layers).withAdaptive(true);
      case DEADLINE -> throw new IllegalStateException(
          "a deadline is resolved per call by the deadline controller");
    };
  }

  @Override
  public String toString() {
    return switch (kind) {
      case LAYERS -> Integer.toString((int) value);
      case FRACTION -> Double.toString(value);
      case ADAPTIVE -> "adaptive:" + value;
      case DEADLINE -> "deadline:" + value + "ms";
    };
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InferenceBudget b && b.kind == kind && b.value == value;
  }

  @Override
  public int hashCode() {
    return kind.hashCode() * 31 + Double.hashCode(value);
  }
}
