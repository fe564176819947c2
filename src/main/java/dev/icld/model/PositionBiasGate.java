package dev.icld.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/**
 * WavLM's gated relative position bias (the "gru_rel_pos" gate of each layer,
 * {@link Architecture.BiasGate}), in DJL.
 *
 * <p>No external reference: torchaudio 0.13 has no WavLM; the gate is tested against values
 * computed by hand from this formula (Hugging Face modeling_wavlm.py semantics).
 */
final class PositionBiasGate {
  private final NDArray constant;
  private final Linear projection;
  private final int heads;

  private PositionBiasGate(NDArray constant, Linear projection, int heads) {
    this.constant = constant;
    this.projection = projection;
    this.heads = heads;
  }

  static PositionBiasGate load(WeightSource weights, Architecture.BiasGate gate) {
    return new PositionBiasGate(weights.take(gate.gruRelPosConst()),
        Linear.load(weights, gate.gruRelPosLinear()), gate.heads());
  }

  /**
   * @param x the attention input [B, T, D]
   * @param bias the shared position bias [H, T, T]
   * @return the gated bias [B, H, T, T]
   */
  NDArray forward(NDArray x, NDArray bias) {
    long batch = x.getShape().get(0);
    long frames = x.getShape().get(1);
    NDArray perHead = x.reshape(batch, frames, heads, -1).swapAxes(1, 2);
    NDArray logits = projection.forward(perHead).reshape(batch, heads, frames, 2, 4).sum(new int[] {4});
    NDArray gates = ai.djl.nn.Activation.sigmoid(logits);
    NDArray a = gates.get(new NDIndex("..., 0:1"));
    NDArray b = gates.get(new NDIndex("..., 1:2"));
    NDArray gate = a.mul(b.mul(constant).sub(1f)).add(2f);
    return gate.mul(bias.expandDims(0));
  }
}
