package dev.icld.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the icld command line in-process, as the tests of individual commands need it. */
final class CliRun {
  private CliRun() {}

  /** What {@code icld args...} returned and printed. */
  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    var cli = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Result(code, out.toString(), err.toString());
  }
}
