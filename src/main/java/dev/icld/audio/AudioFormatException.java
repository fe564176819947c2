package dev.icld.audio;

import java.io.IOException;
import java.nio.file.Path;

/** Audio that cannot be used, with the file and what is wrong with it in the message. */
public class AudioFormatException extends IOException {
  private final transient Path file;

  public AudioFormatException(Path file, String problem) {
    super(file + ": " + problem);
    this.file = file;
  }

  public AudioFormatException(Path file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
    this.file = file;
  }

  public Path file() {
    return file;
  }
}
