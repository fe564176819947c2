package dev.icld.model;

import ai.djl.ndarray.NDArray;

/**
 * The first stage of a forward pass (see {@link FoundationModel#frontEnd}): what the conv feature
 * encoder and the feature projection made of a batch, before any transformer layer runs. Lets a
 * caller look at the features (a layer selector does) before choosing the layers, and time the
 * stages apart. Arrays belong to the manager of the input waveforms.
 *
 * @param features the conv feature encoder's output [B, T, C]
 * @param projected the features projected to the encoder width [B, T, D]
 * @param frameLengths valid frames per utterance
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
