package dev.icld.data;

import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * icld's progress bars, drawn by the progressbar library on stderr: count, rate, ETA and a status
 * text. A bar appears only once a job has run for a second, so quick jobs (tests, tiny corpora)
 * print nothing. Without a terminal (a CI log, a nohup file) it writes a plain ASCII line every
 * ten seconds instead of redrawing in place. Safe to advance from several threads.
 */
public final class ProgressBar implements AutoCloseable {
  private static final long SHOW_AFTER_NANOS = 1_000_000_000L;
  private static final int REDRAW_MILLIS = 250;
  private static final int LOG_LINE_MILLIS = 10_000;
  // Fixed: asking the terminal for its width would make the library run stty at every redraw.
  private static final int LINE_WIDTH = 110;

  private final me.tongfei.progressbar.ProgressBar bar;

  public ProgressBar(String task, long total) {
    this(task, total, System.err);
  }

  public ProgressBar(String task, long total, PrintStream out) {
    this(task, total, out, System.console() != null);
  }

  ProgressBar(String task, long total, PrintStream out, boolean terminal) {
    bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).showSpeed()
        .setStyle(terminal ? ProgressBarStyle.UNICODE_BLOCK : ProgressBarStyle.ASCII)
        .setUpdateIntervalMillis(terminal ? REDRAW_MILLIS : LOG_LINE_MILLIS)
        .setConsumer(new Output(out, terminal)).build();
  }

  /** Extra text shown after the rate from the next redraw on (a training loss, say). */
  public void status(String text) {
    bar.setExtraMessage(" " + text);
  }

  public void step() {
    bar.step();
  }

  /** Progress counted elsewhere (by a Spark accumulator, say): {@code done} of the total. */
  public void stepTo(long done) {
    bar.stepTo(done);
  }

  /** "42s" or "3m07s": how summaries print durations. */
  public static String formatDuration(double seconds) {
    long s = Math.round(seconds);
    return s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
  }

  /** Draws the bar a last time and ends its line, if it was shown at all. */
  @Override
  public void close() {
    bar.close();
  }

  /**
   * Where the library's renderings go: nothing in the first second, then redrawn in place on a
   * terminal or one whole line each in a log.
   */
  private static final class Output implements ProgressBarConsumer {
    private final PrintStream out;
    private final boolean terminal;
    private final long start = System.nanoTime();
    private String last;

    Output(PrintStream out, boolean terminal) {
      this.out = out;
      this.terminal = terminal;
    }

    @Override
    public int getMaxRenderedLength() {
      return LINE_WIDTH;
    }

    @Override
    public synchronized void accept(String rendered) {
      // The library draws once more on closing, often what the last redraw showed already.
      if (System.nanoTime() - start < SHOW_AFTER_NANOS || rendered.equals(last)) {
        return;
      }
      last = rendered;
      if (terminal) {
        out.print("\r" + rendered);
      } else {
        out.println(rendered.stripTrailing());
      }
      out.flush();
    }

    @Override
    public synchronized void close() {
      if (last != null && terminal) {
        out.println();
        out.flush();
      }
    }
  }
}
