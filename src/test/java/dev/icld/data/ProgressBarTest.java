package dev.icld.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
  @Test
  void aQuickJobPrintsNothing() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ProgressBar bar = new ProgressBar("job", 3, new PrintStream(bytes), true)) {
      bar.step();
      bar.step();
      bar.step();
    }
    assertEquals(0, bytes.size());
  }

  @Test
  void withoutATerminalItWritesWholeLinesWithoutCarriageReturns() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ProgressBar bar = new ProgressBar("job", 2, new PrintStream(bytes), false)) {
      bar.step();
      Thread.sleep(1100); // past the one-second grace period, so the last step draws
      bar.step();
    }
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertFalse(text.contains("\r"), text);
    assertTrue(text.startsWith("job [") && text.contains("] 2/2 "), text);
    assertEquals(1, text.lines().count(), text);
  }

  @Test
  void durationsPrintMinutesAndTwoDigitSeconds() {
    assertEquals("42s", ProgressBar.formatDuration(42));
    assertEquals("3m07s", ProgressBar.formatDuration(187));
  }
}
