package dev.icld.model.io;

import java.io.IOException;
import java.nio.file.Path;

/** A checkpoint that cannot be used, with the file and what is wrong with it in the message. */
public class CheckpointFormatException extends IOException {
  private final transient Path file;

  public CheckpointFormatException(Path file, String problem) {
    super(file + ": " + problem);
    this.file = file;
  }

  public CheckpointFormatException(Path file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
    this.file = file;
  }

  public Path file() {
    return file;
  }
}
