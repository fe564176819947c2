package dev.icld.bench;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Where a benchmark ran: core count, CPU model, Java version, operating system and the time.
 *
 * @param cpuModel the first "model name" of /proc/cpuinfo, "unknown" where it cannot be read
 */
public record Machine(int cores, String cpuModel, String javaVersion, String os, Instant date) {

  public static Machine current() {
    return new Machine(Runtime.getRuntime().availableProcessors(), cpuModel(Path.of("/proc/cpuinfo")),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
        System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
            + System.getProperty("os.arch"),
        Instant.now().truncatedTo(ChronoUnit.SECONDS));
  }

  static String cpuModel(Path cpuinfo) {
    try {
      for (String line : Files.readAllLines(cpuinfo)) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException e) {
      return "unknown (" + cpuinfo + " unreadable)";
    }
    return "unknown";
  }

  public String line() {
    return cores + " cores (nproc), " + cpuModel + ", " + javaVersion + ", " + os + ", " + date;
  }

  JsonObject json() {
    JsonObject o = new JsonObject();
    o.addProperty("nproc", cores);
    o.addProperty("cpu_model", cpuModel);
    o.addProperty("java", javaVersion);
    o.addProperty("os", os);
    o.addProperty("date", date.toString());
    return o;
  }
}
