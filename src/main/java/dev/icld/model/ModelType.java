package dev.icld.model;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The encoder families, named as Hugging Face's {@code model_type}. */
public enum ModelType {
  WAV2VEC2("wav2vec2", "Wav2Vec2Model"),
  HUBERT("hubert", "HubertModel"),
  WAVLM("wavlm", "WavLMModel");

  private final String id;
  private final String architecture;

  ModelType(String id, String architecture) {
    this.id = id;
    this.architecture = architecture;
  }

  /** The {@code model_type} value, also the parameter prefix of task models ("wav2vec2."). */
  public String id() {
    return id;
  }

  /** The Hugging Face class that loads the bare backbone. */
  public String architecture() {
    return architecture;
  }

  public static ModelType fromId(String id) {
    for (ModelType type : values()) {
      if (type.id.equals(id)) {
        return type;
      }
    }
    throw new IllegalArgumentException(
        "model_type \"" + id + "\" is not supported (expected one of "
            + Arrays.stream(values()).map(ModelType::id).collect(Collectors.joining(", ")) + ")");
  }
}
