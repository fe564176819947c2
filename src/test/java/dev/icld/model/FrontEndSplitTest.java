package dev.icld.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The split forward: front end once, encoder under any number of masks. */
class FrontEndSplitTest {
  private static NDArray waveforms(NDManager manager, int[] lengths) {
    int longest = 1200;
    float[] samples = new float[lengths.length * longest];
    Random random = new Random(5);
    for (int b = 0; b < lengths.length; b++) {
      for (int i = 0; i < lengths[b]; i++) {
        samples[b * longest + i] = (float) random.nextGaussian() * 0.1f;
      }
    }
    return manager.create(samples, new Shape(lengths.length, longest));
  }

  @Test
  void oneFrontEndServesEveryMaskExactlyAsTheWholeForwardDoes() {
    int[] lengths = {1200, 900};
    try (FoundationModel model =
            Checkpoints.randomlyInitialised(RandomInitialisationTest.tinyWav2Vec2(), 3);
        NDManager manager = Torch.newManager()) {
      NDArray waves = waveforms(manager, lengths);
      FrontEndOutput frontEnd = model.frontEnd(waves, lengths);
      assertEquals(3, frontEnd.features().getShape().dimension());
      assertEquals(model.config().hiddenSize(), frontEnd.projected().getShape().get(2));
      assertArrayEquals(new int[] {model.frames(1200), model.frames(900)}, frontEnd.frameLengths());
      LayerMask[] masks = {LayerMask.all(model.layerCount()), LayerMask.ofLayers(model.layerCount(), 1),
          LayerMask.ofLayers(model.layerCount(), 0)};
      for (LayerMask mask : masks) {
        ModelOutput whole = model.forward(waves, lengths, mask);
        ModelOutput split = model.encode(frontEnd, mask);
        assertArrayEquals(whole.features().toFloatArray(), split.features().toFloatArray());
        assertArrayEquals(whole.lastHiddenState().toFloatArray(),
            split.lastHiddenState().toFloatArray(), 0f, "mask " + mask.executedCount());
        assertEquals(whole.hiddenStates().size(), split.hiddenStates().size());
      }
    }
  }

  @Test
  void theFrontEndsNamedStagesInOrderGiveTheFirstLayersInput() {
    for (ModelConfig config : List.of(RandomInitialisationTest.tinyWav2Vec2(),
        LogMelFrontEndTest.tinyLogMel())) {
      int[] lengths = {1200};
      try (FoundationModel model = Checkpoints.randomlyInitialised(config, 3);
          NDManager manager = Torch.newManager()) {
        NDArray waves = waveforms(manager, lengths);
        NDArray staged = waves;
        for (FrontEndStage stage : model.frontEndStages()) {
          staged = stage.forward().apply(staged);
        }
        NDArray firstLayerInput = model.forward(waves, lengths).hiddenStates().get(0);
        assertArrayEquals(firstLayerInput.toFloatArray(), staged.toFloatArray(), 0f,
            config.featExtractType());
      }
    }
  }
}
