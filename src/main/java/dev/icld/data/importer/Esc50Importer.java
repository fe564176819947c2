package dev.icld.data.importer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * ESC-50 as cloned from github.com/karolpiczak/ESC-50: {@code audio/*.wav} (5 s clips) and
 * {@code meta/esc50.csv} with columns filename, fold, target, category, esc10, src_file, take.
 * Its five folds keep clips of one source recording together; one fold is test, one dev, the
 * rest train. The label is the category name.
 */
public final class Esc50Importer implements CorpusImporter {
  private static final List<String> REQUIRED_COLUMNS = List.of("filename", "fold", "category", "src_file");

  private final int devFold;
  private final int testFold;

  public Esc50Importer(int devFold, int testFold) {
    if (devFold < 1 || devFold > 5 || testFold < 1 || testFold > 5 || devFold == testFold) {
      throw new IllegalArgumentException("ESC-50 folds are 1 to 5 and dev and test need different"
          + " ones; got dev " + devFold + ", test " + testFold);
    }
    this.devFold = devFold;
    this.testFold = testFold;
  }

  @Override
  public void collect(Path root, ImportedCorpus corpus) throws IOException {
    Path meta = root.resolve("meta").resolve("esc50.csv");
    if (!Files.isRegularFile(meta)) {
      throw new IOException(root + ": not an ESC-50 folder: no meta/esc50.csv");
    }
    List<String> lines = Files.readAllLines(meta, StandardCharsets.UTF_8);
    List<String> header = lines.isEmpty() ? List.of() : Arrays.asList(lines.get(0).strip().split(","));
    if (!header.containsAll(REQUIRED_COLUMNS)) {
      throw new IOException(meta + ": header must name the columns " + REQUIRED_COLUMNS
          + ", found " + header);
    }
    int file = header.indexOf("filename");
    int fold = header.indexOf("fold");
    int category = header.indexOf("category");
    int source = header.indexOf("src_file");
    for (int i = 1; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      String[] fields = lines.get(i).strip().split(",", -1);
      String where = "line " + (i + 1);
      if (fields.length != header.size()) {
        corpus.problem(meta, where + ": " + fields.length + " fields, the header has " + header.size());
        continue;
      }
      int foldNumber;
      try {
        foldNumber = Integer.parseInt(fields[fold]);
      } catch (NumberFormatException e) {
        corpus.problem(meta, where + ": fold \"" + fields[fold] + "\" is not a number");
        continue;
      }
      Path clip = root.resolve("audio").resolve(fields[file]);
      if (foldNumber < 1 || foldNumber > 5) {
        corpus.problem(meta, where + ": fold " + foldNumber + " is not 1 to 5");
      } else if (fields[category].isBlank()) {
        corpus.problem(meta, where + ": no category");
      } else if (!Files.isRegularFile(clip)) {
        corpus.problem(clip, "listed in esc50.csv " + where + " but missing");
      } else {
        String split = foldNumber == testFold ? "test" : foldNumber == devFold ? "dev" : "train";
        corpus.add(split, clip, fields[category], null, null, "esc50/freesound-" + fields[source]);
      }
    }
  }
}
