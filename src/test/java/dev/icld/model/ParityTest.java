package dev.icld.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.icld.model.io.TensorData;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Numerical parity with torchaudio 0.13's wav2vec2 implementation on tiny random models (Base
 * style, Large style, HuBERT), batched with padding, loaded from both file formats. Every compared
 * tensor must agree within 1e-4 on the valid frames (measured: under 3e-6).
 *
 * <p>Only valid frames are compared. Padded frames carry values of no meaning in every
 * implementation, and they differ: torchaudio masks padded keys with -10000 where Hugging Face
 * uses the float minimum (we use -1e9), and no implementation re-zeroes padded frames after the
 * positional conv, so their values depend on such details. Valid frames agree because, as in
 * Hugging Face, padded frames are zeroed once (after the feature projection, before the
 * positional conv) and masked as keys in every layer. The group-norm conv layer of Base models
 * normalises over the whole padded length in all three implementations (Hugging Face's reason to
 * advise against batching such models with padding), so its valid frames still match.
 */
class ParityTest {
  @ParameterizedTest
  @ValueSource(strings = {"base", "large", "hubert"})
  void matchesTorchaudioFromSafetensors(String model) throws Exception {
    checkParity(model, ReferenceFixtures.dir(model).resolve(Checkpoints.SAFETENSORS));
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "large", "hubert"})
  void matchesTorchaudioFromPytorchModelBin(String model) throws Exception {
    checkParity(model, ReferenceFixtures.dir(model).resolve(Checkpoints.TORCH_BIN));
  }

  static void checkParity(String name, Path weights) throws Exception {
    Map<String, TensorData> ref = ReferenceFixtures.reference(name);
    try (FoundationModel model = Checkpoints.load(ReferenceFixtures.dir(name), weights);
        NDManager manager = Torch.newManager()) {
      TensorData wave = ref.get("waveforms");
      NDArray waveforms = manager.create(wave.values(), new Shape(wave.shape()));
      ModelOutput out = model.forward(waveforms, ReferenceFixtures.ints(ref.get("sample_lengths")));
      int[] frames = ReferenceFixtures.ints(ref.get("frame_lengths"));
      assertArrayEquals(frames, out.frameLengths(), "frame lengths");
      assertEquals(model.layerCount() + 1, out.hiddenStates().size());
      check(name + " features", out.features(), ref.get("features"), frames);
      for (int i = 0; i <= model.layerCount(); i++) {
        check(name + " hidden_" + i, out.hiddenStates().get(i), ref.get("hidden_" + i), frames);
      }
      check(name + " last_hidden_state", out.lastHiddenState(), ref.get("last_hidden_state"), frames);
    }
  }

  private static void check(String what, NDArray actual, TensorData expected, int[] frames) {
    double diff = ReferenceFixtures.maxDiffOnValidFrames(actual, expected, frames);
    assertTrue(diff <= ReferenceFixtures.TOLERANCE, what + ": max abs difference " + diff);
  }
}
