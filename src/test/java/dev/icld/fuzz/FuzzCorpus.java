package dev.icld.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The committed inputs of one format: {@code seeds/} holds a few valid files that mutations start
 * from, {@code regressions/} every input that ever failed the contract, replayed by every test
 * run. A failing input is saved as {@code KIND-HASH.EXT}, once per content.
 */
final class FuzzCorpus {
  /** An input and the name it is known by in reports. */
  record Input(String name, byte[] bytes) {}

  private final Path root;

  /** @param root the folder holding one folder per format ({@code src/test/resources/fuzz}) */
  FuzzCorpus(Path root) {
    this.root = root;
  }

  /** The corpus the tests see: the copy Maven puts on the test class path. */
  static FuzzCorpus onTestClassPath() {
    URL url = FuzzCorpus.class.getResource("/fuzz");
    if (url == null) {
      throw new IllegalStateException("the fuzz corpus is not on the test class path");
    }
    try {
      return new FuzzCorpus(Path.of(url.toURI()));
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  Path root() {
    return root;
  }

  List<Input> seeds(FuzzTarget target) {
    List<Input> seeds = inputs(seedsFolder(target));
    if (seeds.isEmpty()) {
      throw new IllegalStateException("no seeds in " + seedsFolder(target));
    }
    return seeds;
  }

  List<Input> regressions(FuzzTarget target) {
    return inputs(regressionsFolder(target));
  }

  Path regressionsFolder(FuzzTarget target) {
    return root.resolve(target.name()).resolve("regressions");
  }

  private Path seedsFolder(FuzzTarget target) {
    return root.resolve(target.name()).resolve("seeds");
  }

  /**
   * Saves a failing input in {@code folder} unless an input with the same content is there
   * already; returns the file that holds it.
   */
  static Path saveFailure(Path folder, FuzzTarget target, Verdict verdict, byte[] bytes)
      throws IOException {
    String hash = sha256(bytes).substring(0, 16);
    Files.createDirectories(folder);
    try (Stream<Path> files = Files.list(folder)) {
      List<Path> known = files.filter(f -> f.getFileName().toString().contains(hash)).toList();
      if (!known.isEmpty()) {
        return known.get(0);
      }
    }
    Path file = folder.resolve(verdict.kind().label() + "-" + hash + "." + target.extension());
    Files.write(file, bytes);
    return file;
  }

  private static List<Input> inputs(Path folder) {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(Files::isRegularFile)
          .filter(f -> !f.getFileName().toString().startsWith("."))
          .sorted()
          .map(f -> new Input(f.getFileName().toString(), readAllBytes(f)))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] readAllBytes(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime provides SHA-256", e);
    }
  }
}
