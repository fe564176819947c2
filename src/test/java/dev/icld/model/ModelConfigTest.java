package dev.icld.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelConfigTest {
  @Test
  void readsHuggingFaceFieldsAndIgnoresUnknownOnes() throws Exception {
    String json = Files.readString(ReferenceFixtures.dir("hubert").resolve("config.json"));
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

  @Test
  void everyDimensionOutsideItsBoundsIsNamed() {
    String json = "{\"model_type\": \"wav2vec2\", \"hidden_size\": 100000, "
        + "\"num_hidden_layers\": 1000, \"num_attention_heads\": 0, \"intermediate_size\": -1, "
        + "\"conv_dim\": [9000], \"conv_kernel\": [0], \"conv_stride\": [5000], "
        + "\"num_conv_pos_embeddings\": 0, \"layer_norm_eps\": -1}";
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ModelConfig.fromJson(json, "c.json"));
    assertEquals("c.json: conv_dim[0] must be in 1..8192, got 9000; conv_kernel[0] must be in "
        + "1..4096, got 0; conv_stride[0] must be in 1..1024, got 5000; hidden_size must be in "
        + "1..8192, got 100000; num_hidden_layers must be in 0..256, got 1000; num_attention_heads "
        + "must be in 1..256, got 0; intermediate_size must be in 1..65536, got -1; "
        + "num_conv_pos_embeddings must be in 1..1024, got 0; layer_norm_eps must be a small "
        + "positive number, got -1.0", e.getMessage());
  }

  @Test
  void wavLmBucketsOutsideTheirBoundsAreNamed() {
    String json = "{\"model_type\": \"wavlm\", \"hidden_size\": 8, \"num_hidden_layers\": 1, "
        + "\"num_attention_heads\": 2, \"intermediate_size\": 8, \"conv_dim\": [4], "
        + "\"conv_kernel\": [2], \"conv_stride\": [1], \"num_conv_pos_embedding_groups\": 2, "
        + "\"num_buckets\": 1000000, \"max_bucket_distance\": 0}";
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ModelConfig.fromJson(json, "c.json"));
    assertEquals("c.json: num_buckets must be in 4..4096, got 1000000; max_bucket_distance must be "
        + "in 1..100000, got 0", e.getMessage());
  }

  @Test
  void numbersThatAreNotIntsAreRefusedNotTruncatedOrWrapped() {
    // 4294967328 is 2^32 + 32: read as an int it would silently become hidden_size 32.
    String json = "{\"model_type\": \"wav2vec2\", \"hidden_size\": 4294967328, "
        + "\"num_hidden_layers\": 1, \"num_attention_heads\": 2, \"intermediate_size\": 8, "
        + "\"conv_dim\": [4], \"conv_kernel\": [2.5], \"conv_stride\": [1]}";
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ModelConfig.fromJson(json, "c.json"));
    assertEquals("c.json: \"hidden_size\" must be an integer, got 4294967328; \"conv_kernel\" must "
        + "be a list of integers, got [2.5]", e.getMessage());
  }
}
