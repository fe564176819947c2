package dev.icld.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv1d;
import java.util.List;

/** {@link LogMelFrontEnd} in DJL: fixed arrays, no parameters, nothing to train. */
final class LogMelFeatureEncoder implements FeatureEncoder {
  private final LogMelFrontEnd spec;
  private final NDArray basis;
  private final NDArray noBias;
  /** [F, mels]: the input is the left operand, so products take the input's manager. */
  private final NDArray melFilters;

  LogMelFeatureEncoder(LogMelFrontEnd spec, NDManager manager) {
    this.spec = spec;
    int bins = spec.bins();
    this.basis = manager.create(spec.dftBasis(), new Shape(2L * bins, 1, spec.window()));
    this.noBias = manager.zeros(new Shape(2L * bins));
    this.melFilters = manager.create(spec.melFilters(), new Shape(bins, spec.mels()));
  }

  @Override
  public NDArray forward(NDArray waveforms) {
    return FrontEndStage.runAll(stages(), waveforms);
  }

  @Override
  public List<FrontEndStage> stages() {
    int bins = spec.bins();
    float halfRange = LogMelFrontEnd.RANGE / 2;
    return List.of(
        new FrontEndStage("windowed DFT (conv)", waveforms -> Conv1d.conv1d(waveforms.expandDims(1),
            basis, noBias, new Shape(spec.hop()), new Shape(0), new Shape(1), 1).singletonOrThrow()),
        new FrontEndStage("power spectrum", parts -> parts.get(new NDIndex(":, 0:{}, :", bins))
            .square().add(parts.get(new NDIndex(":, {}:, :", bins)).square())),
        new FrontEndStage("mel filters and log10",
            power -> power.swapAxes(1, 2).matMul(melFilters).add(LogMelFrontEnd.FLOOR).log10()),
        new FrontEndStage("per-utterance scaling", logMel -> {
          NDArray loudest = logMel.max(new int[] {2}, true).max(new int[] {1}, true);
          return logMel.sub(loudest).maximum(-LogMelFrontEnd.RANGE).div(halfRange).add(1f);
        }));
  }
}
