package dev.icld.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.icld.model.FoundationModel;
import dev.icld.model.LayerMask;
import dev.icld.model.Torch;

/**
 * HuBERT's later-iteration features: the hidden state after one transformer layer of an earlier
 * model, at the encoder's frame rate. Only the layers up to that one run.
 */
public final class LayerFrameFeatures implements FrameFeatures {
  private final FoundationModel model;
  private final int layer;
  private final int frameRate;
  private final String source;

  /**
   * @param layer 1..L: the state after that layer
   * @param source how to name the model in the description (its directory)
   */
  public LayerFrameFeatures(FoundationModel model, int layer, String source) {
    if (layer < 1 || layer > model.layerCount()) {
      throw new IllegalArgumentException("--targets-from-layer must be 1.." + model.layerCount()
          + " for this model, got " + layer);
    }
    double rate = HubertPretraining.frameRate(model);
    if (rate != Math.rint(rate)) {
      throw new IllegalArgumentException("the model's frame rate " + rate + " Hz is not whole");
    }
    this.model = model;
    this.layer = layer;
    this.frameRate = (int) rate;
    this.source = source;
  }

  @Override
  public int frameRate() {
    return frameRate;
  }

  /** One utterance at a time: the model's forward pass already uses every core it is given. */
  @Override
  public synchronized float[][] compute(float[] samples) {
    int frames = samples.length < 400 ? 0 : model.frames(samples.length);
    if (frames <= 0) {
      return new float[0][];
    }
    int[] layers = new int[layer];
    for (int i = 0; i < layer; i++) {
      layers[i] = i;
    }
    try (NDManager manager = Torch.newManager()) {
      NDArray waves = manager.create(samples, new Shape(1, samples.length));
      NDArray state = model.forward(waves, new int[] {samples.length},
          LayerMask.ofLayers(model.layerCount(), layers)).hiddenStates().get(layer);
      int dims = (int) state.getShape().get(2);
      float[] flat = state.toFloatArray();
      float[][] out = new float[frames][dims];
      for (int t = 0; t < frames; t++) {
        System.arraycopy(flat, t * dims, out[t], 0, dims);
      }
      return out;
    }
  }

  @Override
  public String description() {
    return "hidden state after layer " + layer + " of " + source + " at " + frameRate + " Hz";
  }
}
