package dev.icld.cli;

import picocli.CommandLine.Option;

/**
 * {@code --batch-seconds} of the commands that train on a labelled corpus, fine-tuning and the
 * selector's training, so that both batch alike (a picocli mixin).
 */
final class BatchSecondsOption {
  @Option(names = "--batch-seconds", defaultValue = "16", paramLabel = "S",
      description = "most padded audio per batch (default: ${DEFAULT-VALUE})")
  double seconds;

  /** @throws IllegalArgumentException when no batch could hold audio */
  void validate() {
    if (!(seconds > 0)) {
      throw new IllegalArgumentException("--batch-seconds must be positive, got " + seconds);
    }
  }
}
