package dev.icld.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import dev.icld.model.io.SafeTensors;
import dev.icld.model.io.TensorData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointsTest {
  @TempDir Path temp;

  @Test
  void mismatchedCheckpointGivesOneErrorListingEveryProblem() throws Exception {
    Path source = ReferenceFixtures.dir("base");
    Map<String, TensorData> tensors = new LinkedHashMap<>(
        SafeTensors.read(source.resolve(Checkpoints.SAFETENSORS)));
    tensors.remove("encoder.layers.1.attention.q_proj.bias");
    tensors.remove("encoder.pos_conv_embed.conv.weight_v");
    TensorData norm = tensors.get("encoder.layers.1.final_layer_norm.weight");
    tensors.put("encoder.layers.1.final_layer_norm.weight",
        TensorData.f32(new long[] {16}, Arrays.copyOf(norm.values(), 16)));
    tensors.put("encoder.layer_norm.running_mean", norm);
    tensors.put("lm_head.weight", norm); // a task head: ignored, not a problem
    Path dir = temp.resolve("broken");
    Files.createDirectories(dir);
    Files.copy(source.resolve(Checkpoints.CONFIG), dir.resolve(Checkpoints.CONFIG));
    SafeTensors.write(dir.resolve(Checkpoints.SAFETENSORS), tensors);

    CheckpointMismatchException e =
        assertThrows(CheckpointMismatchException.class, () -> Checkpoints.load(dir));
    assertEquals(List.of(
            "missing encoder.pos_conv_embed.conv.weight_v (or "
                + "encoder.pos_conv_embed.conv.parametrizations.weight.original1) [32, 8, 8]",
            "missing encoder.layers.1.attention.q_proj.bias [32]",
            "mis-shaped encoder.layers.1.final_layer_norm.weight: expected [32], found [16]",
            "unexpected encoder.layer_norm.running_mean"),
        e.problems());
    assertTrue(e.getMessage().startsWith(dir.resolve(Checkpoints.SAFETENSORS) + ": "), e.getMessage());
    assertTrue(e.getMessage().contains("(4 problems)"), e.getMessage());
  }

  @Test
  void configWhoseConvKernelDisagreesWithTheWeightsIsRefusedNamingTheField() throws Exception {
    Path source = ReferenceFixtures.dir("base");
    Path dir = temp.resolve("kernel");
    Files.createDirectories(dir);
    JsonObject config = JsonParser.parseString(Files.readString(source.resolve(Checkpoints.CONFIG)))
        .getAsJsonObject();
    config.getAsJsonArray("conv_kernel").set(0, new JsonPrimitive(7));
    Files.writeString(dir.resolve(Checkpoints.CONFIG), config.toString());
    for (String weights : new String[] {Checkpoints.SAFETENSORS, Checkpoints.TORCH_BIN}) {
      Files.copy(source.resolve(weights), dir.resolve(weights));
      CheckpointMismatchException e = assertThrows(CheckpointMismatchException.class,
          () -> Checkpoints.load(dir, dir.resolve(weights)));
      assertEquals(List.of("conv_kernel[0] = 7 in config.json, but the checkpoint's "
          + "feature_extractor.conv_layers.0.conv.weight is [8, 1, 10]"), e.problems());
      assertTrue(e.getMessage().startsWith(dir.resolve(weights) + ": "), e.getMessage());
    }
  }

  @Test
  void configOfAMuchLargerModelIsRefusedBeforeItsWeightsAreAllocated() throws Exception {
    // Building puts zeros in place of missing tensors; for this config that would be 1.2 GB.
    Path dir = temp.resolve("large-config");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(Checkpoints.CONFIG), "{\"model_type\": \"wav2vec2\", "
        + "\"hidden_size\": 1024, \"num_hidden_layers\": 24, \"num_attention_heads\": 16, "
        + "\"intermediate_size\": 4096, \"conv_dim\": [512], \"conv_kernel\": [400], "
        + "\"conv_stride\": [320]}");
    SafeTensors.write(dir.resolve(Checkpoints.SAFETENSORS),
        Map.of("encoder.layer_norm.weight", TensorData.f32(new long[] {4}, new float[4])));
    CheckpointMismatchException e =
        assertThrows(CheckpointMismatchException.class, () -> Checkpoints.load(dir));
    assertEquals(List.of(
            "num_hidden_layers = 24 in config.json, but the checkpoint has no encoder layers",
            "config.json describes parameters of 311433216 elements, but the checkpoint holds "
                + "4: it does not belong to this checkpoint"),
        e.problems());
  }

  @Test
  void prefixedTaskModelLoadsAndReportsItsHead() throws Exception {
    try (FoundationModel model = Checkpoints.load(ReferenceFixtures.dir("large"))) {
      LoadSummary summary = model.loadSummary();
      assertEquals("wav2vec2.", summary.naming());
      assertEquals(List.of("lm_head.weight", "lm_head.bias"), summary.ignored());
      assertTrue(summary.loadSeconds() > 0);
      assertFalse(model.parameters().containsKey("masked_spec_embed"));
    }
  }

  @Test
  void prefixedTorchBinLoadsAndReportsItsHeads() throws Exception {
    Path dir = ReferenceFixtures.dir("hubert");
    try (FoundationModel model = Checkpoints.load(dir, dir.resolve(Checkpoints.TORCH_BIN))) {
      LoadSummary summary = model.loadSummary();
      assertEquals("hubert.", summary.naming());
      assertEquals(List.of("classifier.bias", "classifier.weight", "projector.bias", "projector.weight"),
          summary.ignored().stream().sorted().toList());
    }
  }

  @Test
  void saveThenLoadGivesTheSameOutputsAndHuggingFaceNames() throws Exception {
    Path saved = temp.resolve("saved");
    try (FoundationModel original = Checkpoints.load(ReferenceFixtures.dir("base"));
        NDManager manager = Torch.newManager()) {
      assertTrue(original.parameters().containsKey("masked_spec_embed"));
      Checkpoints.save(original, saved);
      Map<String, TensorData> written = SafeTensors.read(saved.resolve(Checkpoints.SAFETENSORS));
      Map<String, TensorData> source =
          SafeTensors.read(ReferenceFixtures.dir("base").resolve(Checkpoints.SAFETENSORS));
      assertEquals(source.keySet(), written.keySet(), "same Hugging Face names as the source");
      for (String name : source.keySet()) {
        assertArrayEquals(source.get(name).shape(), written.get(name).shape(), name);
        float[] expected = source.get(name).values();
        float[] actual = written.get(name).values();
        if (!name.endsWith("weight_v")) { // v is stored normalised to g's scale, same direction
          assertArrayEquals(expected, actual, 1e-5f, name);
        }
      }
      JsonObject config = JsonParser.parseString(
          Files.readString(saved.resolve(Checkpoints.CONFIG))).getAsJsonObject();
      assertEquals(6, config.get("vocab_size").getAsInt(), "fields this code ignores survive");
      assertEquals("Wav2Vec2Model", config.getAsJsonArray("architectures").get(0).getAsString());
      try (var files = Files.list(saved)) { // no temp files left behind
        assertEquals(List.of("config.json", "model.safetensors"),
            files.map(p -> p.getFileName().toString()).sorted().toList());
      }

      try (FoundationModel reloaded = Checkpoints.load(saved)) {
        assertEquals(original.config(), reloaded.config());
        int[] lengths = {400, 320};
        NDArray waves = manager.randomNormal(new Shape(2, 400));
        ModelOutput a = original.forward(waves, lengths);
        ModelOutput b = reloaded.forward(waves, lengths);
        for (int i = 0; i < a.hiddenStates().size(); i++) {
          ReferenceFixtures.assertClose(b.hiddenStates().get(i), a.hiddenStates().get(i), 1e-5, "state " + i);
        }
      }
    }
  }

  @Test
  void directoryWithoutWeightsIsRefusedByName() throws Exception {
    Path dir = temp.resolve("empty");
    Files.createDirectories(dir);
    IOException e = assertThrows(IOException.class, () -> Checkpoints.load(dir));
    assertEquals(dir + ": no model.safetensors or pytorch_model.bin (not a Hugging Face model "
        + "directory?)", e.getMessage());
  }

  @Test
  void missingConfigIsRefusedByName() throws Exception {
    Path dir = temp.resolve("noconfig");
    Files.createDirectories(dir);
    Files.copy(ReferenceFixtures.dir("base").resolve(Checkpoints.SAFETENSORS), dir.resolve(Checkpoints.SAFETENSORS));
    IOException e = assertThrows(IOException.class, () -> Checkpoints.load(dir));
    assertEquals(dir + ": no config.json", e.getMessage());
  }
}
