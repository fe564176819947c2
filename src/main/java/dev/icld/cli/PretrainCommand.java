package dev.icld.cli;

import dev.icld.train.Pretraining;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code icld pretrain}: a small HuBERT-style foundation model from unlabelled speech. */
@Command(
    name = "pretrain",
    mixinStandardHelpOptions = true,
    description = {
      "Pretrains a foundation model HuBERT-style (k-means targets, span masking, masked "
          + "prediction) on the training speech of corpora, leaving out every speaker of the "
          + "dev and test splits of the downstream corpora. Writes a Hugging Face model "
          + "directory with the k-means model, the training log and a CARD.md. Run it again "
          + "with the same options to resume."
    })
final class PretrainCommand implements Callable<Integer> {
  @Mixin PretrainingOptions common;

  @Option(names = "--pre-ln", description = "pre-LN transformer layers (\"stable layer norm\", "
      + "as in Large checkpoints) instead of Base's post-LN")
  boolean preLayerNorm;

  @Option(names = "--lr", defaultValue = "5e-4", paramLabel = "X",
      description = "peak learning rate (default: ${DEFAULT-VALUE})")
  double learningRate;

  @Option(names = "--clusters", defaultValue = "100",
      description = "k-means clusters (default: ${DEFAULT-VALUE})")
  int clusters;

  @Option(names = "--max-steps", defaultValue = "0",
      description = "optimizer steps to train (exactly repeatable)")
  int maxSteps;

  @Option(names = "--max-minutes", defaultValue = "0",
      description = "training time to fill instead of a step count; steps are timed first")
  double maxMinutes;

  @Option(names = "--batch-seconds", defaultValue = "24",
      description = "most padded audio per batch in seconds (default: ${DEFAULT-VALUE})")
  double batchSeconds;

  @Option(names = "--init", paramLabel = "DIR",
      description = "start from this model instead of random weights")
  Path init;

  @Option(names = "--targets-from-layer", defaultValue = "0", paramLabel = "N",
      description = "second iteration: cluster the state after layer N of the --init model "
          + "instead of MFCCs")
  int targetsFromLayer;

  @Mixin SeedOption seed;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Pretraining.Request request = new Pretraining.Request(common.data, common.excludeSpeakersOf,
        common.out, common.architecture(preLayerNorm),
        init, targetsFromLayer, clusters, maxSteps, maxMinutes, batchSeconds, learningRate,
        seed.value, CommandText.of(spec));
    new Pretraining(spec.commandLine().getOut()).run(request);
    return 0;
  }
}
