package dev.icld.selection;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/**
 * A layer selector's weights as they were when copied, in Java arrays, and its network computed in
 * Java: what inference runs. At batch 1 on a second of audio the selector's arithmetic (under a
 * million multiply-adds) costs less than waking libtorch's worker threads for one native product,
 * so the one native call left is the copy of the input frames (BENCHMARKS.md).
 *
 * <p>Training keeps using {@link LayerSelector#logits}, whose NDArrays carry gradients; a copy
 * does not follow later training steps, so make a new one after training.
 */
public final class SelectorWeights {
  private final SelectorConfig config;
  /**
   * conv.weight [H, C, K] as C rows of K * H: row c holds channel c's weight for every tap and
   * output, tap j's at j * H. One array per row, so that the JIT vectorises the loops over a row
   * (it does not where rows are offsets into one array), and every tap in one row because the JIT
   * vectorises a loop over K * H floats with its widest vectors but one over H = 64 floats only
   * four at a time.
   */
  private final float[][] channelRows;
  private final float[] convBias;
  private final float[] budgetEmbeddings;
  private final float[] outputWeight;
  private final float[] outputBias;

  private SelectorWeights(SelectorConfig config, float[][] channelRows, float[] convBias,
      float[] budgetEmbeddings, float[] outputWeight, float[] outputBias) {
    this.config = config;
    this.channelRows = channelRows;
    this.convBias = convBias;
    this.budgetEmbeddings = budgetEmbeddings;
    this.outputWeight = outputWeight;
    this.outputBias = outputBias;
  }

  static SelectorWeights copyOf(SelectorConfig config, Map<String, NDArray> parameters) {
    int width = config.hiddenChannels();
    int channels = config.inputChannels();
    int kernel = SelectorConfig.KERNEL;
    float[] conv = parameters.get("conv.weight").toFloatArray();
    float[][] rows = new float[channels][kernel * width];
    for (int h = 0; h < width; h++) {
      for (int c = 0; c < channels; c++) {
        for (int j = 0; j < kernel; j++) {
          rows[c][j * width + h] = conv[(h * channels + c) * kernel + j];
        }
      }
    }
    return new SelectorWeights(config, rows, parameters.get("conv.bias").toFloatArray(),
        parameters.get("budget_embedding.weight").toFloatArray(),
        parameters.get("output.weight").toFloatArray(),
        parameters.get("output.bias").toFloatArray());
  }

  public SelectorConfig config() {
    return config;
  }

  /**
   * Logits [B][L] for the input this selector reads, as {@link LayerSelector#logits(NDArray,
   * int[], int[])} computes them, within float rounding.
   *
   * @param budgets per utterance, the budget k (1..L) the logits are for
   */
  public float[][] logits(SelectionInput input, int[] budgets) {
    NDArray frames = LayerSelector.inputOf(config, input);
    int[] lengths = LayerSelector.lengthsOf(config, input);
    LayerSelector.checkInput(config, frames, lengths, budgets);
    float[] values = frames.toFloatArray();
    int time = (int) frames.getShape().get(1);
    int channels = config.inputChannels();
    float[][] logits = new float[lengths.length][];
    for (int b = 0; b < lengths.length; b++) {
      logits[b] = output(pooledHidden(values, b * time * channels, lengths[b]), budgets[b]);
    }
    return logits;
  }

  /**
   * The pooled GELU(conv) of an utterance's valid frames (the mean, then the maximum where the
   * selector pools both): frame t sums tap j of frame t + j - 1, frames outside the utterance being
   * zero (the conv's padding and the zeroed padding of {@link LayerSelector#logits}).
   */
  private float[] pooledHidden(float[] frames, int start, int length) {
    int width = config.hiddenChannels();
    int kernel = SelectorConfig.KERNEL;
    float[][] products = tapProducts(frames, start, length);
    // every frame's conv output, then its GELU
    float[] hidden = new float[length * width];
    float[] frameSum = new float[width];
    float[] tap = new float[width];
    for (int t = 0; t < length; t++) {
      System.arraycopy(convBias, 0, frameSum, 0, width);
      for (int j = 0; j < kernel; j++) {
        // copied out of its row first: the JIT vectorises a loop only where every array is
        // indexed alike
        System.arraycopy(products[t + j], j * width, tap, 0, width);
        for (int h = 0; h < width; h++) {
          frameSum[h] += tap[h];
        }
      }
      System.arraycopy(frameSum, 0, hidden, t * width, width);
    }
    // one loop over every frame: over one frame's few values the JIT's vector loop hardly runs
    for (int i = 0; i < hidden.length; i++) {
      hidden[i] = LayerSelector.gelu(hidden[i]);
    }
    // in double: a long utterance's sum in float would round enough to flip near-tied layers
    double[] sum = new double[width];
    for (int t = 0; t < length; t++) {
      for (int h = 0; h < width; h++) {
        sum[h] += hidden[t * width + h];
      }
    }
    float[] pooled = new float[config.pooledWidth()];
    for (int h = 0; h < width; h++) {
      pooled[h] = (float) (sum[h] / length);
    }
    if (config.pooling() == SelectorPooling.MEAN_MAX) {
      System.arraycopy(hidden, 0, pooled, width, width);
      for (int t = 1; t < length; t++) {
        for (int h = 0; h < width; h++) {
          pooled[width + h] = Math.max(pooled[width + h], hidden[t * width + h]);
        }
      }
    }
    return pooled;
  }

  /**
   * Every frame's products with every tap's weights, [length + K - 1][K * H]: row K / 2 + s holds
   * frame s's and the rows around them stay zero (frames outside the utterance), so the conv's
   * output at frame t sums tap j of row t + j.
   */
  private float[][] tapProducts(float[] frames, int start, int length) {
    int channels = config.inputChannels();
    int reach = SelectorConfig.KERNEL / 2;
    int rowWidth = channelRows[0].length;
    float[][] products = new float[length + 2 * reach][rowWidth];
    // Three frames per pass over the weights, so that each weight is read once for three frames
    // (in a bigger pass, four frames or four channels, the JIT no longer vectorises the loop). A
    // last pass that runs past the utterance adds its first frame again into a row nothing reads.
    float[] unread = new float[rowWidth];
    for (int s = 0; s < length; s += 3) {
      boolean hasSecond = s + 1 < length;
      boolean hasThird = s + 2 < length;
      float[] first = products[reach + s];
      float[] second = hasSecond ? products[reach + s + 1] : unread;
      float[] third = hasThird ? products[reach + s + 2] : unread;
      int x = start + s * channels;
      int y = hasSecond ? x + channels : x;
      int z = hasThird ? x + 2 * channels : x;
      int c = 0;
      // two channels per pass: one load and store of each accumulator per two multiply-adds
      for (; c + 2 <= channels; c += 2) {
        float x0 = frames[x + c];
        float x1 = frames[x + c + 1];
        float y0 = frames[y + c];
        float y1 = frames[y + c + 1];
        float z0 = frames[z + c];
        float z1 = frames[z + c + 1];
        float[] w0 = channelRows[c];
        float[] w1 = channelRows[c + 1];
        for (int k = 0; k < rowWidth; k++) {
          float v0 = w0[k];
          float v1 = w1[k];
          // every load before the first store: the JIT does not vectorise a loop that loads an
          // array after storing to another
          float a = first[k] + x0 * v0 + x1 * v1;
          float b = second[k] + y0 * v0 + y1 * v1;
          float d = third[k] + z0 * v0 + z1 * v1;
          first[k] = a;
          second[k] = b;
          third[k] = d;
        }
      }
      for (; c < channels; c++) {
        float x0 = frames[x + c];
        float y0 = frames[y + c];
        float z0 = frames[z + c];
        float[] w0 = channelRows[c];
        for (int k = 0; k < rowWidth; k++) {
          float v0 = w0[k];
          float a = first[k] + x0 * v0;
          float b = second[k] + y0 * v0;
          float d = third[k] + z0 * v0;
          first[k] = a;
          second[k] = b;
          third[k] = d;
        }
      }
    }
    return products;
  }

  private float[] output(float[] pooled, int budget) {
    int width = pooled.length;
    int embeddingWidth = config.budgetEmbedding();
    int inputs = width + embeddingWidth;
    int embedding = (budget - 1) * embeddingWidth;
    float[] logits = new float[config.layers()];
    for (int l = 0; l < logits.length; l++) {
      double total = outputBias[l];
      for (int h = 0; h < width; h++) {
        total += outputWeight[l * inputs + h] * pooled[h];
      }
      for (int e = 0; e < embeddingWidth; e++) {
        total += outputWeight[l * inputs + width + e] * budgetEmbeddings[embedding + e];
      }
      logits[l] = (float) total;
    }
    return logits;
  }
}
