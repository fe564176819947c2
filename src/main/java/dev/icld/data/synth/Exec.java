package dev.icld.data.synth;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Runs an external program to completion and returns its standard output. */
final class Exec {
  private static final int STDERR_SHOWN = 600;

  private Exec() {}

  /**
   * Runs {@code command}, feeding it {@code stdin} (may be null), and returns what it wrote to
   * stdout. A non-zero exit is an IOException naming the program and quoting its stderr.
   */
  static byte[] run(List<String> command, byte[] stdin, Path workDir) throws IOException {
    Path errors = Files.createTempFile(workDir, "stderr", ".txt");
    try {
      ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
      builder.redirectError(errors.toFile());
      if (stdin == null) {
        builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      }
      Process process = builder.start();
      Thread feeder = null;
      if (stdin != null) {
        // Fed from another thread: a program that writes while reading would otherwise block.
        feeder = new Thread(() -> feed(process, stdin), "exec-stdin");
        feeder.start();
      }
      byte[] out = process.getInputStream().readAllBytes();
      int status = process.waitFor();
      if (feeder != null) {
        feeder.join();
      }
      if (status != 0) {
        String err = Files.readString(errors, StandardCharsets.UTF_8).strip();
        if (err.length() > STDERR_SHOWN) {
          err = "..." + err.substring(err.length() - STDERR_SHOWN);
        }
        throw new IOException(
            String.join(" ", command.subList(0, Math.min(command.size(), 6)))
                + (command.size() > 6 ? " ..." : "")
                + " failed (exit " + status + ")" + (err.isEmpty() ? "" : ": " + err));
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + command.get(0), e);
    } finally {
      Files.deleteIfExists(errors);
    }
  }

  private static void feed(Process process, byte[] stdin) {
    try (OutputStream in = process.getOutputStream()) {
      in.write(stdin);
    } catch (IOException e) {
      // The program stopped reading early; its exit status reports what went wrong.
    }
  }
}
