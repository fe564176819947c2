package dev.icld.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.icld.model.io.SafeTensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The description against real checkpoints: every tensor of a backbone belongs to exactly one of
 * its parts, and the DJL model is built from exactly the parameters it lists. The checkpoints are
 * the torchaudio fixtures (post-LN Base, pre-LN Large with a CTC head and torch's parametrization
 * names, HuBERT), the synthetic WavLM in both forms (names written from transformers' modeling
 * file) and the two embedded models (log-mel front end, no projection norm; HuBERT's layout and
 * WavLM's).
 */
class ArchitectureTest {
  @TempDir Path temp;

  /** A fixture or synthetic WavLM ({@link SyntheticCheckpoint#modelDir}), or an embedded model. */
  private Path modelDir(String name) throws Exception {
    return name.startsWith("models/") ? Path.of(name) : SyntheticCheckpoint.modelDir(name, temp);
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "large", "hubert", "wavlm", "wavlm-large", "models/default",
      "models/wavlm"})
  void everyCheckpointTensorBelongsToExactlyOnePart(String name) throws Exception {
    Path dir = modelDir(name);
    try (FoundationModel model = Checkpoints.load(dir)) {
      Architecture architecture = model.architecture();
      String prefix = model.config().modelType().id() + ".";
      List<String> unclaimed = new ArrayList<>();
      for (String stored : SafeTensors.read(dir.resolve(Checkpoints.SAFETENSORS)).keySet()) {
        if (model.loadSummary().ignored().contains(stored)) {
          continue; // a task head's tensor, no part of the backbone
        }
        String tensor = stored.startsWith(prefix) ? stored.substring(prefix.length()) : stored;
        List<String> owners = new ArrayList<>();
        for (Architecture.Component component : architecture.components()) {
          if (component.stored().contains(tensor)) {
            owners.add(component.name());
          }
        }
        if (owners.size() != 1) {
          unclaimed.add(tensor + " belongs to " + owners);
        }
      }
      assertEquals(List.of(), unclaimed, name);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "large", "hubert", "wavlm", "wavlm-large", "models/default",
      "models/wavlm"})
  void theModelIsBuiltFromExactlyTheListedParameters(String name) throws Exception {
    try (FoundationModel model = Checkpoints.load(modelDir(name))) {
      Set<String> listed = new TreeSet<>();
      Set<String> required = new HashSet<>();
      for (Architecture.Component component : model.architecture().components()) {
        for (String parameter : component.parameterNames()) {
          assertTrue(listed.add(parameter), parameter + " is listed twice");
        }
        component.weights().forEach(weight -> required.add(weight.name()));
        for (Architecture.Weight weight : component.weights()) {
          assertArrayEquals(weight.shape(),
              model.parameters().get(weight.name()).getShape().getShape(), weight.name());
        }
      }
      Set<String> built = new TreeSet<>(model.parameters().keySet());
      assertTrue(built.containsAll(required), name);
      listed.retainAll(built); // masked_spec_embed, when the checkpoint has it
      assertEquals(listed, built, name);
    }
  }

  @Test
  void normPlacementAndOptionalPartsFollowTheConfig() throws Exception {
    Architecture base = Architecture.of(ModelConfig.fromJson(
        Files.readString(ReferenceFixtures.dir("base").resolve("config.json")), "base"));
    assertEquals(Architecture.NormPlacement.POST, base.normPlacement());
    assertEquals(Architecture.ConvNorm.GROUP, base.convLayers().get(0).norm());
    assertNull(base.convLayers().get(1).layerNorm(), "group norm: the first conv block only");
    assertNull(base.relativePositionBias());
    assertNull(base.layers().get(0).attention().gate());

    Architecture large = Architecture.of(SyntheticCheckpoint.tinyWavLM(true));
    assertEquals(Architecture.NormPlacement.PRE, large.normPlacement());
    assertTrue(large.convLayers().stream().allMatch(b -> b.norm() == Architecture.ConvNorm.LAYER));
    assertEquals("encoder.layers.0.attention.rel_attn_embed.weight",
        large.relativePositionBias().relAttnEmbed().name());
    assertEquals("encoder.layers.2.attention.gru_rel_pos_linear",
        large.layers().get(2).attention().gate().gruRelPosLinear().name());
  }

  @Test
  void framesFollowTheConvStackAndTheLogMelGrid() {
    Architecture conv = Architecture.of(SyntheticCheckpoint.tinyWavLM(false));
    // (1200 - 10) / 5 + 1 = 239, then (239 - 3) / 2 + 1 = 119; shorter than a kernel gives 0.
    assertEquals(119, conv.frames(1200));
    assertEquals(0, conv.frames(9));
    ModelConfig logMel = new ModelConfig(ModelType.HUBERT, 16, 1, 2, 24, "gelu", "gelu",
        List.of(40), List.of(400), List.of(320), false, "group", 8, 2, true, 1e-5, false, 320, 800,
        ModelConfig.LOG_MEL_FRONT_END);
    assertEquals(49, Architecture.of(logMel).frames(16_000));
    assertTrue(Architecture.of(logMel).convLayers().isEmpty());
    assertNull(Architecture.of(logMel).featureProjection().layerNorm());
  }
}
