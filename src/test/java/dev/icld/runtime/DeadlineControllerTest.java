package dev.icld.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DeadlineControllerTest {
  private static final CallShape ONE_SECOND = new CallShape(1, 0.5);
  /** 4 ms + 2 ms per second of audio outside the layers; per layer 1 ms + 2 ms per GFLOP. */
  private static final LatencyModel MODEL = new LatencyModel(4, 2, 1, 2);

  /** Feeds {@code calls} calls that take {@code slowdown} times the predicted time. */
  private static void run(DeadlineController controller, double deadline, double slowdown, int calls) {
    for (int i = 0; i < calls; i++) {
      DeadlinePlan plan = controller.plan(deadline, ONE_SECOND);
      controller.observe(ONE_SECOND, plan.layers(),
          slowdown * MODEL.predictMs(ONE_SECOND, plan.layers()));
    }
  }

  @Test
  void picksTheMostLayersThatFit() {
    DeadlineController controller = new DeadlineController(MODEL, 12, 0.3);
    // 6 ms overhead, 2 ms per layer: 20 ms fits 7 layers (20 ms), not 8 (22 ms).
    DeadlinePlan plan = controller.plan(20, ONE_SECOND);
    assertEquals(7, plan.layers());
    assertEquals(20, plan.predictedMs(), 1e-9);
    assertTrue(plan.feasible());
    assertEquals(1, plan.loadFactor());
  }

  @Test
  void slowerCallsGiveFewerLayersAndRecoveryGivesThemBack() {
    DeadlineController controller = new DeadlineController(MODEL, 12, 0.3);
    // 6 + 2k <= 21 gives k = 7 at the calibrated speed.
    run(controller, 21, 1, 10);
    assertEquals(7, controller.plan(21, ONE_SECOND).layers());
    run(controller, 21, 2, 30);
    assertEquals(2, controller.loadFactor(), 1e-3);
    // Twice as slow: 2 · (6 + 2k) <= 21 gives k = 2.
    assertEquals(2, controller.plan(21, ONE_SECOND).layers());
    run(controller, 21, 1, 30);
    assertEquals(1, controller.loadFactor(), 1e-3);
    assertEquals(7, controller.plan(21, ONE_SECOND).layers());
  }

  @Test
  void theLayerCountStaysWithinOneAndL() {
    DeadlineController controller = new DeadlineController(MODEL, 12, 0.3);
    assertEquals(12, controller.plan(1e6, ONE_SECOND).layers());
    DeadlinePlan impossible = controller.plan(5, ONE_SECOND);
    assertEquals(1, impossible.layers());
    assertFalse(impossible.feasible());
    assertEquals(8, impossible.predictedMs(), 1e-9);
    run(controller, 5, 3, 50);
    assertEquals(1, controller.plan(5, ONE_SECOND).layers());
    Random random = new Random(1);
    for (int i = 0; i < 1000; i++) {
      controller.observe(ONE_SECOND, 1 + random.nextInt(12), random.nextDouble() * 200);
      int k = controller.plan(1 + random.nextDouble() * 100, ONE_SECOND).layers();
      assertTrue(k >= 1 && k <= 12, "k = " + k);
    }
  }

  @Test
  void oneOutlierMovesTheFactorOnlyBoundedly() {
    DeadlineController controller = new DeadlineController(MODEL, 12, 0.3);
    controller.observe(ONE_SECOND, 4, 1e9);
    assertEquals(0.7 + 0.3 * 10, controller.loadFactor(), 1e-9);
  }

  @Test
  void concurrentObserversKeepTheFactorConsistent() throws InterruptedException {
    DeadlineController controller = new DeadlineController(MODEL, 12, 0.1);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      threads.add(new Thread(() -> run(controller, 20, 2, 500)));
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
    assertEquals(2, controller.loadFactor(), 1e-6);
  }

  @Test
  void badArgumentsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new DeadlineController(MODEL, 0, 0.3));
    assertThrows(IllegalArgumentException.class, () -> new DeadlineController(MODEL, 12, 0));
    assertThrows(IllegalArgumentException.class,
        () -> new DeadlineController(MODEL, 12, 0.3).plan(0, ONE_SECOND));
  }
}
