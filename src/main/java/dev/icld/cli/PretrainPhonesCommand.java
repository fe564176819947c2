package dev.icld.cli;

import dev.icld.train.PhonePretrainingRun;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code icld pretrain-phones}: pretraining on the phone targets of the TTS engines. */
@Command(
    name = "pretrain-phones",
    mixinStandardHelpOptions = true,
    description = {
      "Pretrains a 12-layer backbone on shards made by icld synth-phones: first the conv front "
          + "end learns to regress log-mel, then, with it frozen, the transformer learns masked "
          + "phone prediction (frame labels where the engine gave phone times, CTC on phone "
          + "sequences) at several depths. Writes a Hugging Face model directory. Run it again "
          + "with the same options to resume; --init continues an earlier model."
    })
final class PretrainPhonesCommand implements Callable<Integer> {
  @Mixin PretrainingOptions common;

  @Option(names = "--init", paramLabel = "DIR",
      description = "continue this model (its conv front end as it is, its phone heads if saved)")
  Path init;

  @Option(names = "--front-end-steps", defaultValue = "300", paramLabel = "N",
      description = "stage 1 steps: the conv front end regresses log-mel (default: ${DEFAULT-VALUE})")
  int frontEndSteps;

  @Option(names = "--front-end-lr", defaultValue = "1e-3", paramLabel = "X",
      description = "stage 1 peak learning rate (default: ${DEFAULT-VALUE})")
  double frontEndLearningRate;

  @Option(names = "--max-steps", required = true, paramLabel = "N",
      description = "stage 2 optimizer steps (0: stage 1 only)")
  int maxSteps;

  @Option(names = "--lr", defaultValue = "5e-4", paramLabel = "X",
      description = "stage 2 peak learning rate (default: ${DEFAULT-VALUE})")
  double learningRate;

  @Option(names = "--batch-seconds", defaultValue = "40", paramLabel = "S",
      description = "most padded audio per batch in seconds (default: ${DEFAULT-VALUE})")
  double batchSeconds;

  @Option(names = "--supervised-layers", defaultValue = "4,8,12", split = ",", paramLabel = "LIST",
      description = "layers whose states predict the phones, ascending, the last the top one "
          + "(default: ${DEFAULT-VALUE})")
  int[] depths;

  @Option(names = "--layer-weights", defaultValue = "0.25,0.25,1", split = ",", paramLabel = "LIST",
      description = "loss weight of each supervised layer (default: ${DEFAULT-VALUE})")
  double[] depthWeights;

  @Option(names = "--mask-prob", defaultValue = "0.5", paramLabel = "P",
      description = "span-mask probability, spans of 10 frames (default: ${DEFAULT-VALUE}; about "
          + "40%% of frames masked)")
  double maskProbability;

  @Option(names = "--mix-prob", defaultValue = "0", paramLabel = "P",
      description = "WavLM's denoising: chance that a training utterance gets a stretch of another "
          + "utterance of its batch (at most half its length, -5 to 5 dB) added over it, its "
          + "targets unchanged (default: ${DEFAULT-VALUE}, off; WavLM used 0.2)")
  double mixProbability;

  @Option(names = "--front-end-gradient-scale", defaultValue = "0", paramLabel = "S",
      description = "stage 2: 0 keeps the conv front end frozen; in (0, 1] trains it with its "
          + "gradient scaled by S, as fairseq's feature_grad_mult (default: ${DEFAULT-VALUE})")
  double frontEndGradientScale;

  @Option(names = "--character-weight", defaultValue = "0", paramLabel = "W",
      description = "also predict the transcript's characters by CTC through a third head at each "
          + "supervised layer, its loss weighted W next to the phone losses' 1 (default: "
          + "${DEFAULT-VALUE}, phones only)")
  double characterWeight;

  @Option(names = "--checkpoint-every", defaultValue = "50", paramLabel = "N",
      description = "optimizer steps between checkpoints, besides each epoch's end "
          + "(default: ${DEFAULT-VALUE})")
  int checkpointEvery;

  @Option(names = "--seed", defaultValue = "1", paramLabel = "N",
      description = "random seed (default: ${DEFAULT-VALUE})")
  long seed;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (depths.length == 0 || depths[depths.length - 1] != common.layers) {
      throw new IllegalArgumentException("--supervised-layers must end with the top layer ("
          + common.layers + ")");
    }
    PhonePretrainingRun.Request request = new PhonePretrainingRun.Request(common.data,
        common.excludeSpeakersOf, common.out, common.architecture(true), init,
        frontEndSteps, maxSteps, batchSeconds, frontEndLearningRate, learningRate, depths,
        depthWeights, maskProbability, mixProbability, frontEndGradientScale, characterWeight,
        checkpointEvery,
        seed, CommandText.of(spec));
    new PhonePretrainingRun(spec.commandLine().getOut()).run(request);
    return 0;
  }
}
