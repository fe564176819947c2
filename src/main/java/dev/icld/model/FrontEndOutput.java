package dev.icld.model;

import ai.djl.ndarray.NDArray;

/**
 * What {@link FoundationModel#frontEnd} computes before the transformer layers.
 *
 * @param features the conv feature encoder's output [B, T, C] (the layer selector's default input)
 * @param projected the feature projection's output [B, T, D], the encoder's input
 * @param frameLengths valid frames per utterance (the rest of each row is padding)
 */
public record FrontEndOutput(NDArray features, NDArray projected, int[] frameLengths) {
  public FrontEndOutput {
    frameLengths = frameLengths.clone();
  }

  @Override
  public int[] frameLengths() {
    return frameLengths.clone();
  }
}
