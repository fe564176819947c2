package dev.icld.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelConfigTest {
  @Test
  void readsHuggingFaceFieldsAndIgnoresUnknownOnes() throws Exception {
    String json = Files.readString(Fixtures.dir("hubert").resolve("config.json"));
    ModelConfig c = ModelConfig.fromJson(json, "config.json");
    assertEquals(ModelType.HUBERT, c.modelType());
    assertEquals(32, c.hiddenSize());
    assertEquals(3, c.numHiddenLayers());
    assertEquals(List.of(12, 12, 16), c.convDim());
    assertEquals(List.of(10, 3, 3), c.convKernel());
    assertEquals(16, c.numConvPosEmbeddings());
    assertEquals("group", c.featExtractNorm());
    assertEquals(true, c.featProjLayerNorm());
    assertEquals(c, ModelConfig.fromJson(c.toJson(null).toString(), "round trip"));
  }

  @Test
  void missingRequiredFieldsAreAllNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelConfig.fromJson("{\"model_type\": \"wavlm\", \"hidden_size\": 8, "
            + "\"vocab_size\": 32, \"conv_dim\": [4], \"conv_kernel\": [2], \"conv_stride\": [1]}",
            "x/config.json"));
    assertEquals("x/config.json: missing required field \"num_hidden_layers\"; missing required "
        + "field \"num_attention_heads\"; missing required field \"intermediate_size\"", e.getMessage());
  }

  @Test
  void badValuesAreNamed() {
    String json = "{\"model_type\": \"wav2vec2\", \"hidden_size\": 30, \"num_hidden_layers\": 1, "
        + "\"num_attention_heads\": 4, \"intermediate_size\": 8, \"conv_dim\": [4, 4], "
        + "\"conv_kernel\": [2], \"conv_stride\": [1], \"feat_extract_norm\": \"batch\"}";
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ModelConfig.fromJson(json, "c.json"));
    assertEquals("c.json: conv_dim, conv_kernel and conv_stride must be non-empty and of equal "
        + "length, got 2, 1, 1; hidden_size 30 must be a positive multiple of num_attention_heads 4; "
        + "feat_extract_norm must be \"group\" or \"layer\", got \"batch\"; hidden_size must be a "
        + "multiple of num_conv_pos_embedding_groups 16", e.getMessage());
  }

  @Test
  void unknownModelTypeIsNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelConfig.fromJson("{\"model_type\": \"bert\", \"hidden_size\": 8, "
            + "\"num_hidden_layers\": 1, \"num_attention_heads\": 2, \"intermediate_size\": 8, "
            + "\"conv_dim\": [4], \"conv_kernel\": [2], \"conv_stride\": [1]}", "c.json"));
    assertEquals("c.json: model_type \"bert\" is not supported (expected one of wav2vec2, hubert, "
        + "wavlm)", e.getMessage());
  }
}
