package dev.icld.bench;

import dev.icld.runtime.DeadlineController;
import java.util.ArrayList;
import java.util.List;

/**
 * Busy threads that compete with inference for the CPU while switched on: a controlled way to make
 * the machine busier during a run, to see how the {@link DeadlineController} adapts. The threads
 * park while switched off and stop on {@link #close}.
 */
public final class CompetingLoad implements AutoCloseable {
  private final List<Thread> threads = new ArrayList<>();
  private final Object lock = new Object();
  private volatile boolean on;
  private volatile boolean closed;
  /** Keeps the busy loop's result reachable so that the JIT cannot drop the loop. */
  private volatile double sink;

  /** @param threads how many busy threads (each takes one core while on) */
  public CompetingLoad(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("a competing load needs at least one thread, got " + threads);
    }
    for (int t = 0; t < threads; t++) {
      Thread thread = new Thread(this::spin, "competing-load-" + t);
      thread.setDaemon(true);
      thread.start();
      this.threads.add(thread);
    }
  }

  private void spin() {
    double x = 1;
    while (!closed) {
      if (!on) {
        synchronized (lock) {
          while (!on && !closed) {
            try {
              lock.wait();
            } catch (InterruptedException e) {
              return;
            }
          }
        }
      }
      for (int i = 0; i < 100_000; i++) {
        x = x * 1.0000001 + Math.sqrt(x) * 1e-9;
      }
      sink = x;
    }
  }

  /** Switches the busy threads on or off. */
  public void set(boolean busy) {
    synchronized (lock) {
      on = busy;
      lock.notifyAll();
    }
  }

  public boolean isOn() {
    return on;
  }

  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      lock.notifyAll();
    }
    for (Thread thread : threads) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
