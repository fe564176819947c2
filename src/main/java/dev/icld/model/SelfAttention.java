package dev.icld.model;

import ai.djl.ndarray.NDArray;

/**
 * Multi-head scaled dot-product self-attention with separate q/k/v/out projections. Scores get
 * an additive key mask (padding) and, for WavLM, an additive per-head position bias.
 */
final class SelfAttention {
  private final Linear query;
  private final Linear key;
  private final Linear value;
  private final Linear out;
  private final int heads;

  private SelfAttention(Linear query, Linear key, Linear value, Linear out, int heads) {
    this.query = query;
    this.key = key;
    this.value = value;
    this.out = out;
    this.heads = heads;
  }

  static SelfAttention load(WeightSource weights, Architecture.Attention attention) {
    return new SelfAttention(
        Linear.load(weights, attention.qProj()),
        Linear.load(weights, attention.kProj()),
        Linear.load(weights, attention.vProj()),
        Linear.load(weights, attention.outProj()),
        attention.numAttentionHeads());
  }

  /**
   * @param x [B, T, D]
   * @param keyMask additive [B, 1, 1, T] (0 for valid keys, a large negative for padding), or null
   * @param positionBias additive [B, H, T, T], or null
   */
  NDArray forward(NDArray x, NDArray keyMask, NDArray positionBias) {
    long batch = x.getShape().get(0);
    long frames = x.getShape().get(1);
    long d = x.getShape().get(2);
    long headDim = d / heads;
    NDArray scaled = query.forward(x).mul(Scalar.of(x, 1.0 / Math.sqrt(headDim)));
    NDArray q = split(scaled, batch, frames, headDim);
    NDArray k = split(key.forward(x), batch, frames, headDim);
    NDArray v = split(value.forward(x), batch, frames, headDim);
    NDArray scores = q.matMul(k.swapAxes(2, 3));
    if (keyMask != null) {
      scores = scores.add(keyMask);
    }
    if (positionBias != null) {
      scores = scores.add(positionBias);
    }
    NDArray context = scores.softmax(-1).matMul(v);
    return out.forward(context.swapAxes(1, 2).reshape(batch, frames, d));
  }

  /** [B, T, D] to [B, H, T, D/H]. */
  private NDArray split(NDArray x, long batch, long frames, long headDim) {
    return x.reshape(batch, frames, heads, headDim).swapAxes(1, 2);
  }
}
