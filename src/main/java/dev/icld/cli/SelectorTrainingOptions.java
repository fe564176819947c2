package dev.icld.cli;

import dev.icld.recipes.SelectorTrainingJob;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The training settings of a layer selector, shared as a picocli mixin by icld train-selector and
 * icld ablate so that an ablation's variants train exactly as the main selector does.
 */
final class SelectorTrainingOptions {
  @Option(names = "--epochs", defaultValue = "5", paramLabel = "N",
      description = "selector training epochs (default: ${DEFAULT-VALUE})")
  int epochs;

  @Option(names = "--max-steps", defaultValue = "0", paramLabel = "N",
      description = "stop selector training after this many steps; 0 for no limit "
          + "(default: ${DEFAULT-VALUE})")
  int maxSteps;

  @Option(names = "--lr", defaultValue = "1e-3", paramLabel = "X",
      description = "selector learning rate (default: ${DEFAULT-VALUE})")
  double learningRate;

  @Mixin BatchSecondsOption batch;

  @Option(names = "--tau0", defaultValue = "2.0", paramLabel = "T",
      description = "initial Gumbel temperature (default: ${DEFAULT-VALUE})")
  double initialTemperature;

  @Option(names = "--tau-min", defaultValue = "0.2", paramLabel = "T",
      description = "final Gumbel temperature, reached at the last step (default: ${DEFAULT-VALUE})")
  double minimumTemperature;

  @Option(names = "--distill-weight", defaultValue = "1.0", paramLabel = "W",
      description = "weight of the KL distillation term where distillation is on "
          + "(default: ${DEFAULT-VALUE})")
  double distillWeight;

  @Option(names = "--seed", defaultValue = "0", paramLabel = "N",
      description = "everything random derives from it: the same seed gives the same selector "
          + "(default: ${DEFAULT-VALUE})")
  long seed;

  /** @throws IllegalArgumentException naming the option that cannot work */
  void validate() {
    batch.validate();
    if (epochs < 1 || maxSteps < 0) {
      throw new IllegalArgumentException("need --epochs >= 1 and --max-steps >= 0, got "
          + epochs + " and " + maxSteps);
    }
  }

  SelectorTrainingJob.Settings settings() {
    return new SelectorTrainingJob.Settings(epochs, maxSteps, learningRate, batch.seconds,
        initialTemperature, minimumTemperature, distillWeight, seed);
  }
}
