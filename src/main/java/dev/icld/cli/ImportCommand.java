package dev.icld.cli;

import dev.icld.data.importer.CorpusImporter;
import dev.icld.data.importer.Esc50Importer;
import dev.icld.data.importer.ImportSummary;
import dev.icld.data.importer.LibriSpeechImporter;
import dev.icld.data.importer.SpeechCommandsImporter;
import dev.icld.data.importer.VoxCelebImporter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code icld import}: manifests for a public corpus unpacked in its original layout. */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = {
      "Writes OUT/train.jsonl, dev.jsonl and test.jsonl for a public corpus in its original "
          + "layout (LibriSpeech, Speech Commands v2, ESC-50, VoxCeleb1 identification).",
      "Audio stays where it is; manifest paths are relative to OUT. Every problem in the corpus "
          + "is listed at once, and no manifest is written unless there are none or --skip-bad is given."
    })
final class ImportCommand implements Callable<Integer> {
  enum Format { librispeech, speechcommands, esc50, voxceleb }

  @Spec CommandSpec spec;

  @Option(names = "--format", required = true,
      description = "Corpus layout: ${COMPLETION-CANDIDATES}.")
  Format format;

  @Option(names = "--root", required = true, paramLabel = "DIR",
      description = "The unpacked corpus (LibriSpeech: a split folder or the folder holding several).")
  Path root;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where the manifests go.")
  Path out;

  @Option(names = "--classes", defaultValue = "12", paramLabel = "12|35",
      description = "speechcommands: 12 (ten commands, _unknown_, _silence_) or 35 (every word). "
          + "Default: ${DEFAULT-VALUE}.")
  int classes;

  @Option(names = "--dev-fold", defaultValue = "4", paramLabel = "N",
      description = "esc50: the dev fold. Default: ${DEFAULT-VALUE}.")
  int devFold;

  @Option(names = "--test-fold", defaultValue = "5", paramLabel = "N",
      description = "esc50: the test fold. Default: ${DEFAULT-VALUE}.")
  int testFold;

  @Option(names = "--split-file", paramLabel = "FILE",
      description = "voxceleb: iden_split.txt, when it is not in ROOT or ROOT/meta.")
  Path splitFile;

  @Option(names = "--skip-bad",
      description = "Leave out files with problems (listed in a warning) instead of failing.")
  boolean skipBad;

  @Override
  public Integer call() throws Exception {
    CorpusImporter importer = switch (format) {
      case librispeech -> new LibriSpeechImporter();
      case speechcommands -> new SpeechCommandsImporter(classes);
      case esc50 -> new Esc50Importer(devFold, testFold);
      case voxceleb -> new VoxCelebImporter(splitFile);
    };
    ImportSummary summary = importer.run(root, out, skipBad);
    spec.commandLine().getOut().print(summary);
    spec.commandLine().getOut().flush();
    return 0;
  }
}
