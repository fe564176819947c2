package dev.icld.fuzz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One file format and the public readers that take it.
 *
 * @param name the format's name on the command line and in the corpus folders
 *     ({@code src/test/resources/fuzz/NAME/seeds} and {@code .../regressions})
 * @param extension the extension of the corpus files
 * @param inputFile where an input is written for the readers, relative to the target's work
 *     folder; its first path element is what every refusal must name, so that a user learns
 *     which file
 * @param headerOffsets where the format keeps sizes and counts (negative: from the end)
 * @param support writes the files an input needs beside it (weights, audio), once per folder
 * @param packer makes the file the readers take from an input's bytes
 * @param reader reads the input at the given path as a user's command would
 * @param refusals the exception types that refuse an input; anything else is a defect
 */
record FuzzTarget(String name, String extension, String inputFile, List<Integer> headerOffsets,
    Support support, Packer packer, Reader reader, List<Class<? extends Exception>> refusals) {

  /** A target whose inputs are written as they are, with the extension of {@code inputFile}. */
  static FuzzTarget plain(String name, String inputFile, List<Integer> headerOffsets,
      Support support, Reader reader, List<Class<? extends Exception>> refusals) {
    String fileName = Path.of(inputFile).getFileName().toString();
    return new FuzzTarget(name, fileName.substring(fileName.lastIndexOf('.') + 1), inputFile,
        headerOffsets, support, bytes -> bytes, reader, refusals);
  }

  /** Makes the file's content from an input: the bytes themselves, or a container around them. */
  @FunctionalInterface
  interface Packer {
    byte[] pack(byte[] input) throws IOException;
  }

  /** Reads a written input; returning normally accepts it. */
  @FunctionalInterface
  interface Reader {
    void read(Path input) throws Exception;
  }

  /** Lays out what inputs of this format need beside them in a fresh work folder. */
  @FunctionalInterface
  interface Support {
    void writeInto(Path workFolder) throws IOException;
  }

  /** The file or folder name a refusal's message must contain. */
  String inputName() {
    return Path.of(inputFile).getName(0).toString();
  }

  /** Writes {@code bytes} as this format's input inside {@code workFolder}, and returns its path. */
  Path write(Path workFolder, byte[] bytes) throws IOException {
    Path file = workFolder.resolve(inputFile);
    Files.write(file, packer.pack(bytes));
    return file;
  }

  boolean isRefusal(Throwable thrown) {
    return refusals.stream().anyMatch(type -> type.isInstance(thrown));
  }
}
