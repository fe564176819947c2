package dev.icld.data;

import java.nio.file.Path;

/**
 * Why one manifest line cannot be used.
 *
 * @param manifest the manifest file
 * @param line 1-based line number in that file
 * @param audio the line's audio path as written in the manifest ("?" when the line has none)
 * @param reason what is wrong, in words
 */
public record ManifestProblem(Path manifest, int line, String audio, String reason) {
  @Override
  public String toString() {
    return manifest + ":" + line + ": " + audio + ": " + reason;
  }
}
