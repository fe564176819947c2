package dev.icld.cli;

import dev.icld.train.TrainingDivergedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns the errors a user can cause (bad files, bad arguments) into one readable line and exit
 * code 1, instead of a stack trace. Anything else is a bug and keeps its stack trace.
 * Set ICLD_DEBUG=1 to see the stack trace of user errors too.
 */
final class UserErrors implements IExecutionExceptionHandler {
  private static final String ICLD = "dev.icld.";

  @Override
  public int handleExecutionException(Exception e, CommandLine cli, ParseResult parsed)
      throws Exception {
    Throwable cause = e instanceof UncheckedIOException ? e.getCause() : e;
    boolean userError = cause instanceof IOException || cause instanceof IllegalArgumentException
        || cause instanceof TrainingDivergedException;
    if (!userError || System.getenv("ICLD_DEBUG") != null) {
      throw e;
    }
    cli.getErr().println("icld " + cli.getCommandName() + ": " + message(cause));
    return 1;
  }

  /**
   * The line a user is told for {@code e}: its message, which the readers make name the file and
   * what is wrong. One without a message is a gap in that, so rather than print "null" it is
   * described by its type and where it was raised, the place in icld's code included.
   */
  static String message(Throwable e) {
    String message = e.getMessage();
    if (message != null && !message.isBlank()) {
      return message;
    }
    StringBuilder text = new StringBuilder(e.getClass().getSimpleName()).append(" without a message");
    StackTraceElement[] trace = e.getStackTrace();
    if (trace.length > 0) {
      text.append(" in ").append(where(trace[0]));
      if (!trace[0].getClassName().startsWith(ICLD)) {
        Arrays.stream(trace).filter(frame -> frame.getClassName().startsWith(ICLD)).findFirst()
            .ifPresent(frame -> text.append(", reached from ").append(where(frame)));
      }
    }
    return text.append(" (an icld bug: please report it; ICLD_DEBUG=1 shows the stack trace)")
        .toString();
  }

  private static String where(StackTraceElement frame) {
    return frame.getClassName() + "." + frame.getMethodName();
  }
}
