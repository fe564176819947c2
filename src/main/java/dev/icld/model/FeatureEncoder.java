package dev.icld.model;

import ai.djl.ndarray.NDArray;
import java.util.List;

/** The front end on the waveform: raw samples [B, S] to frames [B, T, C]. */
interface FeatureEncoder {
  /** The front end {@code config} names, taking its parameters (if any) from {@code weights}. */
  static FeatureEncoder load(WeightSource weights, ModelConfig config) {
    return config.logMelFrontEnd()
        ? new LogMelFeatureEncoder(LogMelFrontEnd.of(config), weights.manager())
        : ConvFeatureEncoder.load(weights, config);
  }

  /** Frames produced from {@code samples} valid samples. */
  int outputLength(int samples);

  /** waveforms [B, S] to features [B, T, C]. */
  NDArray forward(NDArray waveforms);

  /** {@link #forward} as its named steps, for timing each. */
  List<FrontEndStage> stages();
}
