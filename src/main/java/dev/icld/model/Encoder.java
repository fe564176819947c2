package dev.icld.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * The transformer encoder: positional conv embedding, layer norm (before the layers in the
 * post-LN form, after them in the pre-LN form) and the layers, run under a {@link LayerMask}.
 */
final class Encoder {
  /** Additive score for padded keys; finite so an all-padding row gives no NaN. */
  private static final float MASKED = -1e9f;

  private final PositionalConvEmbedding positionalConv;
  private final LayerNorm layerNorm;
  private final List<EncoderLayer> layers;
  private final boolean preNorm;
  private final RelativePositionBias relativeBias;

  private Encoder(PositionalConvEmbedding positionalConv, LayerNorm layerNorm,
      List<EncoderLayer> layers, boolean preNorm, RelativePositionBias relativeBias) {
    this.positionalConv = positionalConv;
    this.layerNorm = layerNorm;
    this.layers = List.copyOf(layers);
    this.preNorm = preNorm;
    this.relativeBias = relativeBias;
  }

  static Encoder load(WeightSource weights, Architecture architecture) {
    PositionalConvEmbedding positional =
        PositionalConvEmbedding.load(weights, architecture.posConvEmbed());
    LayerNorm norm = LayerNorm.load(weights, architecture.encoderLayerNorm());
    Architecture.PositionBias bias = architecture.relativePositionBias();
    List<EncoderLayer> layers = new ArrayList<>();
    for (Architecture.Layer layer : architecture.layers()) {
      layers.add(EncoderLayer.load(weights, layer));
    }
    return new Encoder(positional, norm, layers,
        architecture.normPlacement() == Architecture.NormPlacement.PRE,
        bias == null ? null : RelativePositionBias.load(weights, bias));
  }

  int layerCount() {
    return layers.size();
  }

  /**
   * Runs the encoder on projected features.
   *
   * @param x [B, T, D]
   * @param frameLengths valid frames per utterance; frames beyond are padding
   * @param mask which layers run (and, in the gated form, how much of each)
   * @return L + 1 hidden states: the layers' input, then the state after each layer (a skipped
   *     layer passes its input through, so indices stay stable)
   */
  List<NDArray> forward(NDArray x, int[] frameLengths, LayerMask mask) {
    if (mask.layers() != layers.size()) {
      throw new IllegalArgumentException(
          "layer mask has " + mask.layers() + " layers, the model " + layers.size());
    }
    int batch = (int) x.getShape().get(0);
    int frames = (int) x.getShape().get(1);
    NDManager manager = x.getManager();
    NDArray keyMask = null;
    if (hasPadding(frameLengths, frames)) {
      float[] valid = new float[batch * frames];
      float[] additive = new float[batch * frames];
      for (int b = 0; b < batch; b++) {
        for (int t = 0; t < frames; t++) {
          boolean inside = t < frameLengths[b];
          valid[b * frames + t] = inside ? 1f : 0f;
          additive[b * frames + t] = inside ? 0f : MASKED;
        }
      }
      // Padded frames are zeroed before the positional conv, as Hugging Face does.
      x = x.mul(manager.create(valid, new Shape(batch, frames, 1)));
      keyMask = manager.create(additive, new Shape(batch, 1, 1, frames));
    }
    NDArray h = embedPositions(x);
    NDArray positionBias = relativeBias == null ? null : relativeBias.compute(frames, manager);
    NDArray gates = mask.gates();
    List<NDArray> hidden = new ArrayList<>(layers.size() + 1);
    hidden.add(h);
    for (int i = 0; i < layers.size(); i++) {
      if (mask.executes(i)) {
        NDArray out = layers.get(i).forward(h, keyMask, positionBias);
        if (gates != null) {
          NDArray gate = gates.get(":, " + i).reshape(batch, 1, 1);
          out = h.add(out.sub(h).mul(gate));
        }
        h = out;
      }
      hidden.add(h);
    }
    return hidden;
  }

  /**
   * The first layer's input from projected features [B, T, D] whose padding is zeroed: the
   * positional conv added, and in the post-LN form the layer norm.
   */
  NDArray embedPositions(NDArray x) {
    NDArray h = x.add(positionalConv.forward(x));
    return preNorm ? h : layerNorm.forward(h);
  }

  /** The encoder's final output from the last hidden state (pre-LN models normalise it). */
  NDArray finish(NDArray last) {
    return preNorm ? layerNorm.forward(last) : last;
  }

  private static boolean hasPadding(int[] frameLengths, int frames) {
    for (int length : frameLengths) {
      if (length != frames) {
        return true;
      }
    }
    return false;
  }
}
