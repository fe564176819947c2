package dev.icld.data;

import java.nio.file.Path;

/**
 * A validated manifest line: its entry, the resolved audio file, and the number of samples the
 * audio really has at {@link Corpus#SAMPLE_RATE} (from its header, read while validating, so
 * batching never trusts a stale duration; decoding gives exactly this many).
 *
 * @param line 1-based line number in the manifest, for messages
 */
public record Utterance(ManifestEntry entry, Path file, int line, int samples) {
  public double durationSeconds() {
    return samples / (double) Corpus.SAMPLE_RATE;
  }
}
