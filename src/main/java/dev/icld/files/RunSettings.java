package dev.icld.files;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A rerun of a training command resumes the run in its run directory; that is only right when it
 * was started with the same settings (another step count, learning rate or seed would silently
 * continue, or reuse, the old run). So the settings are recorded there, and a rerun with others is
 * refused.
 */
public final class RunSettings {
  public static final String FILE = "options.txt";

  private RunSettings() {}

  /**
   * Records {@code settings} in {@code runDir}, or checks them against those recorded.
   *
   * @param what the run's kind in the error, e.g. "a fine-tuning run"
   * @param remedy what to do instead, appended to the error
   * @throws IOException naming the directory and both settings when they differ
   */
  public static void guard(Path runDir, String settings, String what, String remedy)
      throws IOException {
    Path file = runDir.resolve(FILE);
    String line = settings.strip() + System.lineSeparator();
    if (Files.exists(file)) {
      String previous = Files.readString(file, StandardCharsets.UTF_8);
      if (!previous.strip().equals(settings.strip())) {
        throw new IOException(runDir + ": holds " + what + " with other options ("
            + previous.strip() + "; now " + settings.strip() + "); " + remedy);
      }
      return;
    }
    Files.createDirectories(runDir);
    AtomicFiles.writeString(file, line);
  }
}
