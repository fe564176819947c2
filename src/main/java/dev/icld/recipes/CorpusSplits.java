package dev.icld.recipes;

import dev.icld.data.Corpus;
import dev.icld.data.LabelVocabulary;
import dev.icld.data.LoadOptions;
import dev.icld.data.Manifest;
import dev.icld.data.ManifestEntry;
import dev.icld.data.TargetKind;
import dev.icld.model.TaskModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads a split (train.jsonl, dev.jsonl, test.jsonl) of a corpus directory for a fine-tuned
 * model: labels checked against the model's classes, transcripts for ASR, audio cached in memory
 * when the split is small enough.
 */
public final class CorpusSplits {
  /** Splits up to this much audio are decoded once and kept in memory. */
  private static final double CACHE_SECONDS = 2 * 3600;

  private CorpusSplits() {}

  public static Corpus load(Path data, String split, TaskModel model) throws IOException {
    return load(data, split, options(model));
  }

  /** What a split must hold for the model: its labels, or transcripts for ASR. */
  public static LoadOptions options(TaskModel model) {
    LabelVocabulary labels = model.labels();
    return labels == null
        ? LoadOptions.of(TargetKind.TRANSCRIPT)
        : LoadOptions.of(TargetKind.LABEL).withVocabulary(labels);
  }

  /** The split's manifest under {@code options}, cached in memory when it is small enough. */
  public static Corpus load(Path data, String split, LoadOptions options) throws IOException {
    if (!Files.isDirectory(data)) {
      throw new IOException(data + ": data directory not found");
    }
    Path manifest = data.resolve(split + ".jsonl");
    if (!Files.isRegularFile(manifest)) {
      throw new IOException(manifest + ": not found (the data directory needs " + split + ".jsonl)");
    }
    if (manifestSeconds(manifest) <= CACHE_SECONDS) {
      options = options.cachingAudio();
    }
    return Corpus.load(manifest, options);
  }

  /** The audio a manifest claims; infinite when it cannot be read (Corpus.load then says why). */
  private static double manifestSeconds(Path manifest) {
    try {
      double seconds = 0;
      for (ManifestEntry entry : Manifest.read(manifest)) {
        seconds += entry.duration();
      }
      return seconds;
    } catch (IOException | RuntimeException e) {
      return Double.POSITIVE_INFINITY;
    }
  }
}
