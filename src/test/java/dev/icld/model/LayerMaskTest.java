package dev.icld.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.icld.model.io.SafeTensors;
import dev.icld.model.io.TensorData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Layer masks: skipped layers pass through, kept layers are exactly the listed layers in order. */
class LayerMaskTest {
  private static final double EXACT = 1e-5;

  @TempDir Path temp;

  private Path modelDir(String name) throws Exception {
    return SyntheticCheckpoint.modelDir(name, temp);
  }

  private static NDArray waveforms(NDManager manager, int[] lengths) {
    Random random = new Random(3);
    List<float[]> waves = new ArrayList<>();
    for (int n : lengths) {
      float[] w = new float[n];
      for (int i = 0; i < n; i++) {
        w[i] = (float) random.nextGaussian();
      }
      waves.add(w);
    }
    return FoundationModel.padBatch(waves, manager);
  }

  private static final int[] LENGTHS = {400, 330, 260};

  /**
   * Masking layers {0, 2} of a 3-layer model must equal a 2-layer model made of exactly those
   * layers (renamed 0 and 1), run in full: no hidden dependence on the skipped layer. For WavLM
   * this also shows the position bias exists when layer 0 (which holds its table) is skipped.
   */
  @ParameterizedTest
  @ValueSource(strings = {"base", "hubert", "wavlm", "wavlm-large"})
  void maskEqualsRunningTheListedLayersByHand(String name) throws Exception {
    int[] kept = name.startsWith("wavlm") ? new int[] {1, 2} : new int[] {0, 2};
    try (FoundationModel full = Checkpoints.load(modelDir(name));
        FoundationModel subset = Checkpoints.load(subsetModel(full, kept));
        NDManager manager = Torch.newManager()) {
      NDArray waves = waveforms(manager, LENGTHS);
      ModelOutput masked = full.forward(waves, LENGTHS, LayerMask.ofLayers(3, kept));
      ModelOutput byHand = subset.forward(waves, LENGTHS);
      assertEquals(4, masked.hiddenStates().size());
      ReferenceFixtures.assertClose(masked.hiddenStates().get(0), byHand.hiddenStates().get(0), EXACT, "input");
      int next = 0;
      for (int layer = 0; layer < 3; layer++) {
        NDArray after = masked.hiddenStates().get(layer + 1);
        if (next < kept.length && kept[next] == layer) {
          next++;
          ReferenceFixtures.assertClose(after, byHand.hiddenStates().get(next), EXACT, "after layer " + layer);
        } else {
          assertSame(masked.hiddenStates().get(layer), after, "skipped layer " + layer + " passes through");
        }
      }
      ReferenceFixtures.assertClose(masked.lastHiddenState(), byHand.lastHiddenState(), EXACT, "output");
    }
  }

  /** Writes a model made of the {@code kept} layers of {@code model}, renumbered from 0. */
  private Path subsetModel(FoundationModel model, int[] kept) throws Exception {
    Path saved = temp.resolve("saved");
    Checkpoints.save(model, saved);
    Map<String, TensorData> all = SafeTensors.read(saved.resolve(Checkpoints.SAFETENSORS));
    Map<String, TensorData> subset = new LinkedHashMap<>();
    // WavLM's shared bias table is stored under layer 0's name but is no part of layer 0.
    Architecture.PositionBias bias = model.architecture().relativePositionBias();
    for (Map.Entry<String, TensorData> t : all.entrySet()) {
      String name = t.getKey();
      if ((bias != null && name.equals(bias.relAttnEmbed().name()))
          || !name.startsWith("encoder.layers.")) {
        subset.put(name, t.getValue());
        continue;
      }
      String[] parts = name.split("\\.", 4);
      int layer = Integer.parseInt(parts[2]);
      for (int j = 0; j < kept.length; j++) {
        if (kept[j] == layer) {
          subset.put("encoder.layers." + j + "." + parts[3], t.getValue());
        }
      }
    }
    Path dir = temp.resolve("subset");
    Files.createDirectories(dir);
    JsonObject config = JsonParser.parseString(
        Files.readString(saved.resolve(Checkpoints.CONFIG))).getAsJsonObject();
    config.addProperty("num_hidden_layers", kept.length);
    Files.writeString(dir.resolve(Checkpoints.CONFIG), config.toString(), StandardCharsets.UTF_8);
    SafeTensors.write(dir.resolve(Checkpoints.SAFETENSORS), subset);
    return dir;
  }

  @ParameterizedTest
  @ValueSource(strings = {"large", "wavlm"})
  void allOnesMaskEqualsThePlainForward(String name) throws Exception {
    try (FoundationModel model = Checkpoints.load(modelDir(name));
        NDManager manager = Torch.newManager()) {
      NDArray waves = waveforms(manager, LENGTHS);
      int layers = model.layerCount();
      ModelOutput plain = model.forward(waves, LENGTHS);
      boolean[] everyLayer = new boolean[layers];
      Arrays.fill(everyLayer, true);
      ModelOutput keepAll = model.forward(waves, LENGTHS, LayerMask.keep(everyLayer));
      ModelOutput gatedOnes = model.forward(waves, LENGTHS,
          LayerMask.gated(manager.ones(new Shape(LENGTHS.length, layers))));
      for (int i = 0; i <= layers; i++) {
        ReferenceFixtures.assertClose(keepAll.hiddenStates().get(i), plain.hiddenStates().get(i), 0, "keep " + i);
        ReferenceFixtures.assertClose(gatedOnes.hiddenStates().get(i), plain.hiddenStates().get(i), EXACT, "gated " + i);
      }
      ReferenceFixtures.assertClose(gatedOnes.lastHiddenState(), plain.lastHiddenState(), EXACT, "output");
    }
  }

  /** A 0/1 gate per utterance gives, for each utterance, what the boolean mask of its row gives. */
  @ParameterizedTest
  @ValueSource(strings = {"base", "wavlm-large"})
  void gatedZeroOneMaskEqualsTheBooleanFormPerUtterance(String name) throws Exception {
    float[][] rows = {{1, 0, 1}, {0, 1, 1}, {1, 1, 0}};
    try (FoundationModel model = Checkpoints.load(modelDir(name));
        NDManager manager = Torch.newManager()) {
      NDArray waves = waveforms(manager, LENGTHS);
      NDArray gates = manager.create(rows);
      ModelOutput gated = model.forward(waves, LENGTHS, LayerMask.gated(gates));
      for (int b = 0; b < rows.length; b++) {
        boolean[] keep = new boolean[3];
        for (int i = 0; i < 3; i++) {
          keep[i] = rows[b][i] == 1;
        }
        ModelOutput plain = model.forward(waves, LENGTHS, LayerMask.keep(keep));
        for (int i = 0; i <= 3; i++) {
          ReferenceFixtures.assertClose(gated.hiddenStates().get(i).get(b), plain.hiddenStates().get(i).get(b),
              EXACT, "utterance " + b + " state " + i);
        }
        ReferenceFixtures.assertClose(gated.lastHiddenState().get(b), plain.lastHiddenState().get(b), EXACT,
            "utterance " + b + " output");
      }
    }
  }

  @Test
  void aLayerNoUtteranceUsesIsSkippedEntirely() {
    try (NDManager manager = Torch.newManager()) {
      LayerMask mask = LayerMask.gated(manager.create(new float[][] {{1, 0, 0.5f}, {0, 0, 1}}));
      assertEquals(2, mask.executedCount());
      assertEquals(false, mask.executes(1));
    }
  }

  @Test
  void maskOfTheWrongLengthIsRefused() throws Exception {
    try (FoundationModel model = Checkpoints.load(ReferenceFixtures.dir("base"));
        NDManager manager = Torch.newManager()) {
      NDArray waves = waveforms(manager, LENGTHS);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> model.forward(waves, LENGTHS, LayerMask.all(5)));
      assertEquals("layer mask has 5 layers, the model 3", e.getMessage());
    }
  }
}
