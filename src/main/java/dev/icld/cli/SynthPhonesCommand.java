package dev.icld.cli;

import dev.icld.data.synth.PhoneCorpusBuilder;
import dev.icld.data.synth.Tools;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code icld synth-phones}: one shard of the phone-target pretraining corpus. */
@Command(
    name = "synth-phones",
    mixinStandardHelpOptions = true,
    description = {
      "Builds one shard of the pretraining corpus: sentences and short phrases from many "
          + "synthetic speakers (espeak-ng, flite, festival; downstream dev/test voices left "
          + "out), sox tempo and reverberation, real noise, and each utterance's phones "
          + "(phones.jsonl: flite/festival phones with end times, espeak-ng phone sequences). "
          + "Each shard has speakers of its own; same shard and seed, same bytes."
    })
public final class SynthPhonesCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--out", required = true, paramLabel = "DIR",
      description = "the shard's folder (new, empty, or an earlier shard, which is replaced)")
  Path out;

  @Option(names = "--shard", defaultValue = "0", paramLabel = "N",
      description = "shard number 0..999: its speakers and random choices (default: ${DEFAULT-VALUE})")
  int shard;

  @Option(names = "--utterances", defaultValue = "2400", paramLabel = "N",
      description = "utterances in the shard; 2,400 make about 2 hours (default: ${DEFAULT-VALUE})")
  int utterances;

  @Option(names = "--seed", defaultValue = "1", paramLabel = "N",
      description = "corpus seed (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--jobs", paramLabel = "N",
      description = "utterances made at once (default: the number of cores); does not change the output")
  Integer jobs;

  @Option(names = "--other-languages", defaultValue = "0", paramLabel = "SHARE",
      description = "share of utterances (0..1) from festival's Italian and Finnish voices, "
          + "which read the same English sentences with their own letter-to-sound rules, their "
          + "phones mapped to the nearest CMU phones: more real people than English has here "
          + "(apt packages festvox-itapc16k, festvox-italp16k, festvox-suopuhe-mv, "
          + "festvox-suopuhe-lj; default: ${DEFAULT-VALUE})")
  double otherLanguages;

  @Override
  public Integer call() throws Exception {
    PhoneCorpusBuilder.Request request = new PhoneCorpusBuilder.Request(out, shard, utterances,
        seed, jobs == null ? Runtime.getRuntime().availableProcessors() : jobs, otherLanguages);
    String summary = new PhoneCorpusBuilder(Tools.fromEnvironment(), System.err).build(request);
    spec.commandLine().getOut().print(summary);
    spec.commandLine().getOut().flush();
    return 0;
  }
}
