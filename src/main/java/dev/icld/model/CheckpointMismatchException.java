package dev.icld.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** A checkpoint whose tensors do not fit its config: every missing, unexpected and mis-shaped one. */
public final class CheckpointMismatchException extends IOException {
  private final transient List<String> problems;

  CheckpointMismatchException(Path file, List<String> problems) {
    super(file + ": checkpoint does not match its config (" + problems.size() + " problems):\n  "
        + String.join("\n  ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
