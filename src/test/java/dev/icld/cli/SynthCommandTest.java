package dev.icld.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SynthCommandTest {
  @TempDir Path dir;

  /** Standard error of {@code icld args...}, which must exit with {@code expectedExit}. */
  private static String errors(int expectedExit, String... args) {
    CliRun.Result r = CliRun.run(args);
    assertEquals(expectedExit, r.code(), r.err());
    return r.err();
  }

  @Test
  void badOptionsGetOneClearLineAndWriteNothing() {
    Path out = dir.resolve("corpus");
    assertTrue(errors(1, "synth", "--task", "speech", "--out", out.toString())
        .contains("--task must be one of kws, sid, asr, sound, got speech"));
    assertTrue(errors(1, "synth", "--task", "kws", "--classes", "20", "--out", out.toString())
        .contains("--classes must be 12 or 35, got 20"));
    assertTrue(errors(1, "synth", "--task", "kws", "--size", "huge", "--out", out.toString())
        .contains("--size must be one of tiny, small, full, got huge"));
    assertTrue(errors(1, "synth", "--task", "kws", "--jobs", "0", "--out", out.toString())
        .contains("--jobs must be at least 1"));
    assertFalse(Files.exists(out));
  }

  @Test
  void synthIsListedWithItsOptions() {
    CliRun.Result help = CliRun.run("synth", "--help");
    assertEquals(0, help.code());
    for (String option : new String[] {"--task", "--out", "--size", "--seed", "--classes",
        "--jobs"}) {
      assertTrue(help.out().contains(option), option);
    }
  }
}
