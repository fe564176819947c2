package dev.icld.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {
  @Test
  void helpListsEveryCommandWithADescription() {
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    cli.setOut(new PrintWriter(out));
    assertEquals(0, cli.execute("--help"));
    for (String name : cli.getSubcommands().keySet()) {
      assertTrue(out.toString().contains(name), name + " missing from --help");
      String[] description = cli.getSubcommands().get(name).getCommandSpec().usageMessage().description();
      assertTrue(description.length > 0 && !description[0].isBlank(), name + " has no description");
    }
  }
}
