package dev.icld.cli;

import dev.icld.model.ModelConfig;
import dev.icld.model.ModelType;
import dev.icld.train.Pretraining;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
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

  @Option(names = "--model-type", defaultValue = "hubert", paramLabel = "TYPE",
      converter = ModelTypeConverter.class,
      description = "hubert (convolutional relative positions only) or wavlm (plus WavLM's gated "
          + "relative position bias in every layer) (default: ${DEFAULT-VALUE})")
  ModelType modelType;

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

  enum FrontEnd { conv, log_mel }

  @Option(names = "--front-end", defaultValue = "conv", paramLabel = "KIND",
      description = "conv (Hugging Face's conv stack on the waveform, learned) or log_mel (fixed "
          + "log-mel filterbanks, nothing to learn; icld's own config field, so Hugging Face "
          + "transformers cannot load the result) (default: ${DEFAULT-VALUE})")
  FrontEnd frontEnd;

  @Option(names = "--mel-bins", defaultValue = "80",
      description = "mel filters of the log_mel front end (default: ${DEFAULT-VALUE})")
  int melBins;

  ModelConfig architecture(boolean preLayerNorm) {
    return frontEnd == FrontEnd.log_mel
        ? Pretraining.logMelArchitecture(modelType, hidden, layers, heads, melBins, preLayerNorm)
        : Pretraining.defaultArchitecture(modelType, hidden, layers, heads, convChannels,
            preLayerNorm);
  }

  /**
   * HuBERT's and WavLM's layouts: the ones whose pretraining (masked prediction of discrete
   * targets) icld implements; wav2vec 2.0's contrastive objective is not.
   */
  static final class ModelTypeConverter implements CommandLine.ITypeConverter<ModelType> {
    @Override
    public ModelType convert(String value) {
      for (ModelType type : List.of(ModelType.HUBERT, ModelType.WAVLM)) {
        if (type.id().equals(value)) {
          return type;
        }
      }
      throw new CommandLine.TypeConversionException("expected hubert or wavlm, got " + value);
    }
  }
}
