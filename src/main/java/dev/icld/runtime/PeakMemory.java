package dev.icld.runtime;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Peak memory of this process so far: the JVM heap (as its pools record it) and the resident set,
 * which also counts the native tensors of PyTorch and ONNX Runtime the heap never sees.
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
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("VmHWM:")) {
          String[] parts = line.substring("VmHWM:".length()).trim().split("\\s+");
          return Long.parseLong(parts[0]) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}
