package dev.icld.cli;

import dev.icld.train.TrainingDivergedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns the errors a user can cause (bad files, bad arguments) into one readable line and exit
 * code 1, instead of a stack trace. Anything else is a bug and keeps its stack trace.
 * Set ICLD_DEBUG=1 to see the stack trace of user errors too.
 */
final class UserErrors implements IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(Exception e, CommandLine cli, ParseResult parsed)
      throws Exception {
    Throwable cause = e instanceof UncheckedIOException ? e.getCause() : e;
    boolean userError = cause instanceof IOException || cause instanceof IllegalArgumentException
        || cause instanceof TrainingDivergedException;
    if (!userError || System.getenv("ICLD_DEBUG") != null) {
      throw e;
    }
    cli.getErr().println("icld " + cli.getCommandName() + ": " + cause.getMessage());
    return 1;
  }
}
