package dev.icld.model;

import ai.djl.ndarray.NDArray;
import java.util.List;

/** The front end on the waveform: raw samples [B, S] to frames [B, T, C]. */
interface FeatureEncoder {
  /** The front end {@code architecture} names, taking its parameters (if any) from {@code weights}. */
  static FeatureEncoder load(WeightSource weights, Architecture architecture) {
    return architecture.logMel() != null
        ? new LogMelFeatureEncoder(architecture.logMel(), weights.manager())
        : ConvFeatureEncoder.load(weights, architecture.convLayers());
  }

  /** waveforms [B, S] to features [B, T, C]. */
  NDArray forward(NDArray waveforms);

  /** {@link #forward} as its named steps, for timing each. */
  List<FrontEndStage> stages();
}
