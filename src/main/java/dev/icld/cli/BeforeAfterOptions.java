package dev.icld.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code icld bench}'s before-and-after comparison with another build. */
final class BeforeAfterOptions {
  @Option(names = "--baseline", paramLabel = "JAR",
      description = "another build's icld.jar (its lib/ beside it): bench it and this build in "
          + "turn, each as its own process on --model, and report this build's times over its")
  Path baselineJar;

  @Option(names = "--rounds", defaultValue = "3",
      description = "runs of each build with --baseline (default: ${DEFAULT-VALUE})")
  int rounds;
}
