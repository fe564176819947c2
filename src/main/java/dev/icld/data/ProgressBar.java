package dev.icld.data;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A one-line {@code \r} progress bar on stderr: count, rate and ETA. It appears only once a job
 * has run for a second, so quick jobs (tests, tiny corpora) print nothing. Without a terminal
 * (output sent to a log file) it prints a plain line every ten seconds instead, so logs stay
 * readable. Safe to advance from several threads.
 */
public final class ProgressBar implements AutoCloseable {
  private static final long SHOW_AFTER_NANOS = 1_000_000_000L;
  private static final long REDRAW_NANOS = 250_000_000L;
  private static final long LOG_LINE_NANOS = 10_000_000_000L;
  private static final int WIDTH = 30;

  private final String task;
  private final long total;
  private final PrintStream out;
  private final boolean terminal;
  private final long start = System.nanoTime();
  private final AtomicLong done = new AtomicLong();
  private long lastDraw;
  private long lastDrawnCount = -1;
  private volatile String status = "";

  public ProgressBar(String task, long total) {
    this(task, total, System.err);
  }

  public ProgressBar(String task, long total, PrintStream out) {
    this(task, total, out, System.console() != null);
  }

  ProgressBar(String task, long total, PrintStream out, boolean terminal) {
    this.task = task;
    this.total = total;
    this.out = out;
    this.terminal = terminal;
  }

  /** Extra text shown after the ETA from the next redraw on (a training loss, say). */
  public void status(String text) {
    status = text;
  }

  public void step() {
    long count = done.incrementAndGet();
    long now = System.nanoTime();
    long interval = terminal ? REDRAW_NANOS : LOG_LINE_NANOS;
    if (now - start >= SHOW_AFTER_NANOS && (now - lastDraw >= interval || count == total)) {
      draw(count, now);
    }
  }

  private synchronized void draw(long count, long now) {
    if (count == lastDrawnCount) {
      return;
    }
    lastDraw = now;
    lastDrawnCount = count;
    double seconds = (now - start) / 1e9;
    double rate = count / seconds;
    int filled = total > 0 ? (int) (WIDTH * count / total) : WIDTH;
    String eta = rate > 0 && count < total ? formatDuration((total - count) / rate) : "0s";
    String line = String.format(Locale.ROOT, "%s [%s%s] %d/%d %.1f/s ETA %s %s", task,
        "#".repeat(filled), " ".repeat(WIDTH - filled), count, total, rate, eta, status);
    if (terminal) {
      out.print("\r" + line + "  ");
    } else {
      out.println(line.stripTrailing());
    }
    out.flush();
  }

  /** "42s" or "3m07s": how the bar and summaries print durations. */
  public static String formatDuration(double seconds) {
    long s = Math.round(seconds);
    return s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
  }

  /** Ends the bar's line, if it was drawn at all. */
  @Override
  public synchronized void close() {
    if (lastDrawnCount >= 0) {
      draw(done.get(), System.nanoTime());
      if (terminal) {
        out.println();
      }
    }
  }
}
