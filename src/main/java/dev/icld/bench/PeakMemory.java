package dev.icld.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Memory of this process: the peaks so far of the JVM heap (as its pools record it) and of the
 * resident set, which also counts the native tensors of PyTorch and ONNX Runtime the heap never
 * sees, and the resident set now.
 */
public final class PeakMemory {
  private PeakMemory() {}

  /** The sum of every heap pool's peak use, in bytes. */
  public static long heapBytes() {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return peak;
  }

  /** VmHWM of /proc/self/status in bytes, or -1 where there is no such file (not Linux). */
  public static long residentBytes() {
    return residentBytes(Path.of("/proc/self/status"));
  }

  static long residentBytes(Path status) {
    return statusBytes(status, "VmHWM:");
  }

  /**
   * The resident set now (VmRSS), not its peak: what a test of memory over time samples. -1 where
   * /proc/self/status does not exist.
   */
  public static long currentResidentBytes() {
    return statusBytes(Path.of("/proc/self/status"), "VmRSS:");
  }

  static long statusBytes(Path status, String field) {
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith(field)) {
          String[] parts = line.substring(field.length()).trim().split("\\s+");
          return Long.parseLong(parts[0]) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}
