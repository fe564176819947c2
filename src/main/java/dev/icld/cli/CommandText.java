package dev.icld.cli;

import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

/** The command as typed (without the launcher's path), for model cards and logs. */
final class CommandText {
  private CommandText() {}

  static String of(CommandSpec spec) {
    StringBuilder s = new StringBuilder("icld " + spec.name());
    List<String> args = spec.commandLine().getParseResult().originalArgs();
    // The original arguments are the whole command line's, subcommand name included.
    for (String arg : args.subList(args.indexOf(spec.name()) + 1, args.size())) {
      s.append(' ').append(arg.matches("[A-Za-z0-9_./=:,+-]+") ? arg : "'" + arg + "'");
    }
    return s.toString();
  }
}
