package dev.icld.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
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

  /**
   * What a bar writes that steps once, waits out the one-second grace period, then steps until
   * it is done.
   */
  private static String output(boolean terminal, long total, String status)
      throws InterruptedException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ProgressBar bar = new ProgressBar("job", total, new PrintStream(bytes), terminal)) {
      bar.status(status);
      bar.step();
      Thread.sleep(1100);
      for (long i = 1; i < total; i++) {
        bar.step();
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void withoutATerminalItWritesWholeLinesWithTheStatusText() throws Exception {
    String text = output(false, 2, "loss 3.4 lr 2e-4 16 utt/s");
    assertFalse(text.contains("\r"), text);
    List<String> lines = text.lines().toList();
    assertTrue(lines.stream().allMatch(line -> line.startsWith("job ")), text);
    String last = lines.get(lines.size() - 1);
    assertTrue(last.contains(" 2/2 ") && last.endsWith("/s loss 3.4 lr 2e-4 16 utt/s"), text);
  }

  @Test
  void withoutATerminalThousandsOfStepsWriteAFewLinesNotOneEach() throws Exception {
    String text = output(false, 100_001, "");
    // One line when the bar appears and one at the end (a line every ten seconds in between).
    assertTrue(text.lines().count() <= 3, text);
    assertTrue(text.strip().contains("100001/100001"), text);
  }

  @Test
  void onATerminalItRedrawsOneLineInPlaceAndEndsIt() throws Exception {
    String text = output(true, 2, "");
    assertTrue(text.startsWith("\r") && text.endsWith("\n"), text);
    assertEquals(1, text.chars().filter(c -> c == '\n').count(), text);
    assertTrue(text.contains(" 2/2 "), text);
  }

  @Test
  void durationsPrintMinutesAndTwoDigitSeconds() {
    assertEquals("42s", ProgressBar.formatDuration(42));
    assertEquals("3m07s", ProgressBar.formatDuration(187));
  }
}
