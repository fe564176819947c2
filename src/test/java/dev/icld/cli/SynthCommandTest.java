package dev.icld.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SynthCommandTest {
  @TempDir Path dir;

  private String run(int expectedExit, String... args) {
    CommandLine cli = Main.commandLine();
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err));
    assertEquals(expectedExit, cli.execute(args), err.toString());
    return err.toString();
  }

  @Test
  void badOptionsGetOneClearLineAndWriteNothing() {
    Path out = dir.resolve("corpus");
    assertTrue(run(1, "synth", "--task", "speech", "--out", out.toString())
        .contains("--task must be one of kws, sid, asr, sound, got speech"));
    assertTrue(run(1, "synth", "--task", "kws", "--classes", "20", "--out", out.toString())
        .contains("--classes must be 12 or 35, got 20"));
    assertTrue(run(1, "synth", "--task", "kws", "--size", "huge", "--out", out.toString())
        .contains("--size must be one of tiny, small, full, got huge"));
    assertTrue(run(1, "synth", "--task", "kws", "--jobs", "0", "--out", out.toString())
        .contains("--jobs must be at least 1"));
    assertFalse(Files.exists(out));
  }

  @Test
  void synthIsListedWithItsOptions() {
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    cli.setOut(new PrintWriter(out));
    assertEquals(0, cli.execute("synth", "--help"));
    for (String option : new String[] {"--task", "--out", "--size", "--seed", "--classes",
        "--jobs"}) {
      assertTrue(out.toString().contains(option), option);
    }
  }
}
