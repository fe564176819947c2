package dev.icld.cli;

import dev.icld.model.ModelConfig;
import dev.icld.train.Pretraining;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** What every pretraining command asks: the speech, who stays unheard, and the architecture. */
final class PretrainingOptions {
  @Option(names = "--data", required = true, arity = "1..*", paramLabel = "DIR",
      description = "corpora (their train.jsonl) of speech to pretrain on")
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

  ModelConfig architecture(boolean preLayerNorm) {
    return Pretraining.defaultArchitecture(hidden, layers, heads, convChannels, preLayerNorm);
  }
}
