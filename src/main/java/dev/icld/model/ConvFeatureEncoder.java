package dev.icld.model;

import ai.djl.ndarray.NDArray;
import java.util.List;

/** Hugging Face's convolutional waveform encoder: raw samples [B, S] to frames [B, T, C]. */
final class ConvFeatureEncoder implements FeatureEncoder {
  private final List<ConvLayer> layers;

  private ConvFeatureEncoder(List<ConvLayer> layers) {
    this.layers = List.copyOf(layers);
  }

  static ConvFeatureEncoder load(WeightSource weights, List<Architecture.ConvBlock> blocks) {
    return new ConvFeatureEncoder(blocks.stream().map(block -> ConvLayer.load(weights, block)).toList());
  }

  @Override
  public NDArray forward(NDArray waveforms) {
    NDArray x = waveforms.expandDims(1);
    for (ConvLayer layer : layers) {
      x = layer.forward(x);
    }
    return x.swapAxes(1, 2);
  }

  @Override
  public List<FrontEndStage> stages() {
    return List.of(new FrontEndStage("conv feature encoder", this::forward));
  }
}
