package dev.icld.cli;

import dev.icld.train.Pretraining;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
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
  @Option(names = "--data", required = true, arity = "1..*", paramLabel = "DIR",
      description = "corpora (their train.jsonl) or manifests of speech to pretrain on")
  List<Path> data;

  @Option(names = "--exclude-speakers-of", arity = "1..*", paramLabel = "DIR",
      description = "downstream corpora: no speaker of their test.jsonl or dev.jsonl is "
          + "pretrained on")
  List<Path> excludeSpeakersOf = new ArrayList<>();

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "model directory")
  Path out;

  @Option(names = "--hidden", defaultValue = "192",
      description = "transformer width (default: ${DEFAULT-VALUE}); FFN is 4x")
  int hidden;

  @Option(names = "--layers", defaultValue = "12",
      description = "transformer layers (default: ${DEFAULT-VALUE})")
  int layers;

  @Option(names = "--heads", defaultValue = "4",
      description = "attention heads (default: ${DEFAULT-VALUE})")
  int heads;

  @Option(names = "--conv-channels", defaultValue = "128",
      description = "channels of every conv feature-encoder layer (default: ${DEFAULT-VALUE}; "
          + "at 256 the conv stack costs twice the 12 layers of width 192)")
  int convChannels;

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

  @Option(names = "--seed", defaultValue = "1", description = "random seed (default: "
      + "${DEFAULT-VALUE})")
  long seed;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Pretraining.Request request = new Pretraining.Request(data, excludeSpeakersOf, out,
        Pretraining.defaultArchitecture(hidden, layers, heads, convChannels, preLayerNorm),
        init, targetsFromLayer, clusters, maxSteps, maxMinutes, batchSeconds, learningRate, seed,
        commandText());
    new Pretraining(spec.commandLine().getOut()).run(request);
    return 0;
  }

  /** The command as typed (without the launcher's path), for the model card. */
  private String commandText() {
    StringBuilder s = new StringBuilder("icld " + spec.name());
    List<String> args = spec.commandLine().getParseResult().originalArgs();
    // The original arguments are the whole command line's, subcommand name included.
    for (String arg : args.subList(args.indexOf(spec.name()) + 1, args.size())) {
      s.append(' ').append(arg.matches("[A-Za-z0-9_./=:,+-]+") ? arg : "'" + arg + "'");
    }
    return s.toString();
  }
}
