package dev.icld.cli;

import dev.icld.data.synth.CorpusBuilder;
import dev.icld.data.synth.CorpusRequest;
import dev.icld.data.synth.CorpusSize;
import dev.icld.data.synth.SynthTask;
import dev.icld.data.synth.Tools;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code icld synth}: builds an offline corpus from Debian's TTS engines and recordings. */
@Command(
    name = "synth",
    mixinStandardHelpOptions = true,
    description = {
      "Builds an offline corpus (kws, sid, asr or sound) from Debian's TTS engines and "
          + "recordings: audio, train/dev/test manifests and a card. Same seed, same bytes."
    })
public final class SynthCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--task", required = true, description = "kws, sid, asr or sound")
  String task;

  @Option(names = "--out", required = true, description = "output folder (new, empty, or an "
      + "earlier corpus, which is replaced)")
  Path out;

  @Option(names = "--size", defaultValue = "small", description = "tiny, small or full "
      + "(default: ${DEFAULT-VALUE})")
  String size;

  @Mixin SeedOption seed;

  @Option(names = "--classes", defaultValue = "12", description = "kws protocol: 12 (ten "
      + "commands, _unknown_, _silence_) or 35 words (default: ${DEFAULT-VALUE})")
  int classes;

  @Option(names = "--jobs", description = "clips made at once (default: the number of cores); "
      + "does not change the output")
  Integer jobs;

  @Override
  public Integer call() throws Exception {
    CorpusRequest request = new CorpusRequest(parse(SynthTask.class, "--task", task),
        parse(CorpusSize.class, "--size", size), seed.value, classes, out,
        jobs == null ? Runtime.getRuntime().availableProcessors() : jobs);
    CorpusBuilder.Result result =
        new CorpusBuilder(Tools.fromEnvironment(), System.err).build(request);
    spec.commandLine().getOut().print(result.summary());
    spec.commandLine().getOut().flush();
    return 0;
  }

  private static <E extends Enum<E>> E parse(Class<E> type, String option, String value) {
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(value)) {
        return e;
      }
    }
    StringBuilder allowed = new StringBuilder();
    for (E e : type.getEnumConstants()) {
      allowed.append(allowed.length() == 0 ? "" : ", ").append(e.name().toLowerCase());
    }
    throw new IllegalArgumentException(option + " must be one of " + allowed + ", got " + value);
  }
}
