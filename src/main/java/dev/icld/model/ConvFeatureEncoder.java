package dev.icld.model;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;

/** Hugging Face's convolutional waveform encoder: raw samples [B, S] to frames [B, T, C]. */
final class ConvFeatureEncoder implements FeatureEncoder {
  private final List<ConvLayer> layers;

  private ConvFeatureEncoder(List<ConvLayer> layers) {
    this.layers = List.copyOf(layers);
  }

  static ConvFeatureEncoder load(WeightSource weights, ModelConfig config) {
    List<ConvLayer> layers = new ArrayList<>();
    ActivationFunction activation = ActivationFunction.named(config.featExtractActivation());
    int in = 1;
    for (int i = 0; i < config.convDim().size(); i++) {
      ConvLayer.Norm norm;
      if (config.groupNormFeatureEncoder()) {
        norm = i == 0 ? ConvLayer.Norm.GROUP : ConvLayer.Norm.NONE;
      } else {
        norm = ConvLayer.Norm.LAYER;
      }
      int out = config.convDim().get(i);
      layers.add(ConvLayer.load(weights, "feature_extractor.conv_layers." + i, in, out,
          config.convKernel().get(i), config.convStride().get(i), config.convBias(), norm,
          activation));
      in = out;
    }
    return new ConvFeatureEncoder(layers);
  }

  @Override
  public int outputLength(int samples) {
    int length = samples;
    for (ConvLayer layer : layers) {
      length = layer.outputLength(length);
    }
    return length;
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
