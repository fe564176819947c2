package dev.icld.cli;

import picocli.CommandLine.Option;

/** {@code --seed} of the commands that make data or weights from a seed of 1 (a picocli mixin). */
final class SeedOption {
  @Option(names = "--seed", defaultValue = "1", description = "random seed (default: "
      + "${DEFAULT-VALUE})")
  long value;
}
