package dev.icld.data.synth;

import java.io.PrintStream;
import java.util.Locale;

/** A one-line progress bar on stderr: count, rate and time left, redrawn at most 5 times a second. */
final class ProgressBar {
  private static final int WIDTH = 30;
  private static final long REDRAW_NANOS = 200_000_000L;

  private final PrintStream out;
  private final String label;
  private final int total;
  private final long start = System.nanoTime();
  private long lastDraw;
  private int done;

  ProgressBar(PrintStream out, String label, int total) {
    this.out = out;
    this.label = label;
    this.total = total;
  }

  synchronized void step() {
    done++;
    long now = System.nanoTime();
    if (now - lastDraw >= REDRAW_NANOS || done == total) {
      lastDraw = now;
      draw(now);
    }
  }

  synchronized void finish() {
    draw(System.nanoTime());
    out.println();
  }

  private void draw(long now) {
    double seconds = Math.max(1e-9, (now - start) / 1e9);
    double rate = done / seconds;
    int filled = total == 0 ? WIDTH : (int) ((long) WIDTH * done / total);
    String eta = rate > 0 ? clock((total - done) / rate) : "--:--";
    out.print(String.format(Locale.ROOT, "\r%s [%s%s] %d/%d  %.1f clips/s  ETA %s ", label,
        "#".repeat(filled), ".".repeat(WIDTH - filled), done, total, rate, eta));
    out.flush();
  }

  static String clock(double seconds) {
    long s = Math.round(seconds);
    return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }
}
