package dev.icld.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;

/**
 * The one place that starts DJL's PyTorch engine. Its static initialiser runs before any engine
 * use and makes DJL offline and silent: without it DJL's start-up calls a cloud metadata address
 * and sends usage telemetry. Always obtain managers here, never from {@code NDManager} directly.
 */
public final class Torch {
  static {
    System.setProperty("ai.djl.offline", "true");
    System.setProperty("OPT_OUT_TRACKING", "true");
    System.setProperty("ai.djl.default_engine", "PyTorch");
  }

  private Torch() {}

  /** The PyTorch engine, started offline. */
  public static Engine engine() {
    return Engine.getEngine("PyTorch");
  }

  /** A new root manager on the CPU; close it to free every array it created. */
  public static NDManager newManager() {
    return engine().newBaseManager();
  }
}
