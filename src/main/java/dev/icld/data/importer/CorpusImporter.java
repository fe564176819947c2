package dev.icld.data.importer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads a public corpus in its original, unpacked layout and lists its utterances by split. */
public interface CorpusImporter {
  /**
   * Adds every utterance under {@code root} to {@code corpus}, and every problem with the layout.
   *
   * @throws IOException when {@code root} is not this corpus at all (e.g. its index file is absent)
   */
  void collect(Path root, ImportedCorpus corpus) throws IOException;

  /** Collects, measures and writes OUT/train.jsonl, dev.jsonl, test.jsonl (and any extra split). */
  default ImportSummary run(Path root, Path out, boolean skipBad) throws IOException {
    if (!Files.isDirectory(root)) {
      throw new NoSuchFileException(root.toString(), null, "corpus root not found");
    }
    ImportedCorpus corpus = new ImportedCorpus(root, out);
    collect(root, corpus);
    return corpus.write(skipBad);
  }
}
