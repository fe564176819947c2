package dev.icld.model;

import ai.djl.ndarray.NDArray;

/**
 * One transformer layer: self-attention and feed-forward with residual connections, in the
 * post-LN form (Base: norm after each residual sum) or the pre-LN form (Large, stable layer
 * norm: norm before each sub-block). WavLM layers also gate the shared position bias; the gate
 * sees the attention's input (after the layer norm in the pre-LN form), as in Hugging Face's
 * modeling_wavlm.py. The WavLM composition has no external numerical reference here (torchaudio
 * 0.13 has no WavLM); wav2vec 2.0 and HuBERT layers are checked against torchaudio.
 */
final class EncoderLayer {
  private final SelfAttention attention;
  private final PositionBiasGate positionGate;
  private final LayerNorm layerNorm;
  private final FeedForward feedForward;
  private final LayerNorm finalLayerNorm;
  private final boolean preNorm;

  private EncoderLayer(SelfAttention attention, PositionBiasGate positionGate, LayerNorm layerNorm,
      FeedForward feedForward, LayerNorm finalLayerNorm, boolean preNorm) {
    this.attention = attention;
    this.positionGate = positionGate;
    this.layerNorm = layerNorm;
    this.feedForward = feedForward;
    this.finalLayerNorm = finalLayerNorm;
    this.preNorm = preNorm;
  }

  static EncoderLayer load(WeightSource weights, Architecture.Layer layer) {
    Architecture.BiasGate gate = layer.attention().gate();
    return new EncoderLayer(SelfAttention.load(weights, layer.attention()),
        gate == null ? null : PositionBiasGate.load(weights, gate),
        LayerNorm.load(weights, layer.layerNorm()),
        FeedForward.load(weights, layer.feedForward()),
        LayerNorm.load(weights, layer.finalLayerNorm()),
        layer.placement() == Architecture.NormPlacement.PRE);
  }

  /**
   * @param x [B, T, D]
   * @param keyMask additive padding mask [B, 1, 1, T], or null
   * @param positionBias WavLM's shared bias [H, T, T], or null for wav2vec 2.0 / HuBERT
   */
  NDArray forward(NDArray x, NDArray keyMask, NDArray positionBias) {
    if (preNorm) {
      NDArray normed = layerNorm.forward(x);
      NDArray h = x.add(attend(normed, keyMask, positionBias));
      return h.add(feedForward.forward(finalLayerNorm.forward(h)));
    }
    NDArray h = layerNorm.forward(x.add(attend(x, keyMask, positionBias)));
    return finalLayerNorm.forward(h.add(feedForward.forward(h)));
  }

  private NDArray attend(NDArray x, NDArray keyMask, NDArray positionBias) {
    NDArray gatedBias = positionGate == null ? null : positionGate.forward(x, positionBias);
    return attention.forward(x, keyMask, gatedBias);
  }
}
