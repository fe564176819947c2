package dev.icld.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {
  @Test
  void helpListsEveryCommandWithADescription() {
    CliRun.Result help = CliRun.run("--help");
    assertEquals(0, help.code());
    CommandLine cli = Main.commandLine();
    for (String name : cli.getSubcommands().keySet()) {
      assertTrue(help.out().contains(name), name + " missing from --help");
      String[] description = cli.getSubcommands().get(name).getCommandSpec().usageMessage().description();
      assertTrue(description.length > 0 && !description[0].isBlank(), name + " has no description");
    }
  }
}
