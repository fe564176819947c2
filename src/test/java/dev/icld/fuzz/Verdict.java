package dev.icld.fuzz;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * What became of one input, judged by the contract every reader keeps: an input is accepted, or
 * refused with an exception of the format's refusal types whose message names the file; anything
 * else is a failure (a hang past the per-input limit, an OutOfMemoryError or another error of the
 * JVM, an exception of another type, an exception without a message, or one that does not name
 * the file).
 *
 * @param kind accepted, refused, or the failure's kind
 * @param detail the refusal's message, or what went wrong; empty when accepted
 */
record Verdict(Kind kind, String detail) {

  enum Kind {
    ACCEPTED, REFUSED, HANG, OUT_OF_MEMORY,
    /** Another error of the JVM itself, such as a StackOverflowError. */
    VM_ERROR,
    UNEXPECTED_EXCEPTION, NO_MESSAGE, FILE_NOT_NAMED,
    /** The whole JVM died on the input (a native crash); only the long run's supervisor sees it. */
    CRASH;

    /** The kind as it starts a regression file's name and appears in reports. */
    String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  static final Verdict ACCEPTED = new Verdict(Kind.ACCEPTED, "");

  boolean failed() {
    return kind != Kind.ACCEPTED && kind != Kind.REFUSED;
  }

  static Verdict crash(int exitCode) {
    return new Verdict(Kind.CRASH, "the fuzzing JVM exited with code " + exitCode
        + " while reading this input");
  }

  static Verdict hang(Duration limit) {
    return new Verdict(Kind.HANG, "no result within the per-input limit of " + limit.toSeconds()
        + " s");
  }

  /** Judges what reading an input threw; {@code thrown} is null when it returned normally. */
  static Verdict of(FuzzTarget target, Throwable thrown) {
    if (thrown == null) {
      return ACCEPTED;
    }
    if (thrown instanceof OutOfMemoryError) {
      return new Verdict(Kind.OUT_OF_MEMORY, describe(thrown));
    }
    if (thrown instanceof VirtualMachineError) {
      return new Verdict(Kind.VM_ERROR, describe(thrown));
    }
    if (!target.isRefusal(thrown)) {
      return new Verdict(Kind.UNEXPECTED_EXCEPTION, describe(thrown));
    }
    String message = thrown.getMessage();
    if (message == null || message.isBlank()) {
      return new Verdict(Kind.NO_MESSAGE, describe(thrown));
    }
    if (!message.contains(target.inputName())) {
      return new Verdict(Kind.FILE_NOT_NAMED, describe(thrown));
    }
    return new Verdict(Kind.REFUSED, message);
  }

  /**
   * The exception's type and message, where it was thrown and the first frame of icld's own code
   * on the way: enough to find the defect.
   */
  private static String describe(Throwable thrown) {
    StringBuilder text = new StringBuilder(thrown.getClass().getName())
        .append(": ").append(thrown.getMessage());
    StackTraceElement[] trace = thrown.getStackTrace();
    if (trace.length == 0) {
      return text.toString();
    }
    text.append(" at ").append(trace[0]);
    if (!isIcld(trace[0])) {
      Arrays.stream(trace).filter(Verdict::isIcld).findFirst()
          .ifPresent(frame -> text.append(" from ").append(frame));
    }
    return text.toString();
  }

  private static boolean isIcld(StackTraceElement frame) {
    return frame.getClassName().startsWith("dev.icld.");
  }
}
