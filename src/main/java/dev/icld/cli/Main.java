package dev.icld.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code icld} command line. Each concern adds its own subcommand class here. */
@Command(
    name = "icld",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Input-conditioned layer dropping for speech foundation models.",
    subcommands = {CommandLine.HelpCommand.class, SynthCommand.class, SynthPhonesCommand.class,
      ImportCommand.class,
      InspectCommand.class, PretrainCommand.class, PretrainPhonesCommand.class, FinetuneCommand.class,
      TrainSelectorCommand.class, EvalCommand.class, InferCommand.class,
      BenchCommand.class, LoadTestCommand.class, AblateCommand.class, OracleCommand.class,
      PaperTableCommand.class})
public final class Main implements Runnable {

  public static void main(String[] args) {
    // Reports draw PNG charts; no command opens a window, and servers and CI have no display.
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
    System.exit(commandLine().execute(args));
  }

  /** The configured command line; tests call it to run commands in-process. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler(new UserErrors());
    return cli;
  }

  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"icld " + (v == null ? "(development build)" : v)};
    }
  }
}
