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
   * conv.weight [H, C, K] as K * C rows of H: row j * C + c holds every output's weight on
   * channel c of tap j. One array per row, so that the JIT vectorises the loops over a row (it
   * does not where rows are offsets into one array).
   */
  private final float[][] convRows;
  private final float[] convBias;
  private final float[] budgetEmbeddings;
  private final float[] outputWeight;
  private final float[] outputBias;

  private SelectorWeights(SelectorConfig config, float[][] convRows, float[] convBias,
      float[] budgetEmbeddings, float[] outputWeight, float[] outputBias) {
    this.config = config;
    this.convRows = convRows;
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
    float[][] rows = new float[kernel * channels][width];
    for (int h = 0; h < width; h++) {
      for (int c = 0; c < channels; c++) {
        for (int j = 0; j < kernel; j++) {
          rows[j * channels + c][h] = conv[(h * channels + c) * kernel + j];
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
   * The mean over an utterance's valid frames of GELU(conv): frame t sums tap j of frame
   * t + j - 1, frames outside the utterance being zero (the conv's padding and the zeroed padding
   * of {@link LayerSelector#logits}).
   */
  private float[] pooledHidden(float[] frames, int start, int length) {
    int width = config.hiddenChannels();
    int channels = config.inputChannels();
    int kernel = SelectorConfig.KERNEL;
    double[] sum = new double[width];
    float[] hidden = new float[width];
    for (int t = 0; t < length; t++) {
      System.arraycopy(convBias, 0, hidden, 0, width);
      for (int j = 0; j < kernel; j++) {
        int source = t + j - kernel / 2;
        if (source < 0 || source >= length) {
          continue;
        }
        int frame = start + source * channels;
        int row = j * channels;
        int c = 0;
        // eight rows per pass: one load and store of the accumulator per eight multiply-adds
        for (; c + 8 <= channels; c += 8) {
          addEightRows(hidden, frames, frame + c, row + c);
        }
        for (; c < channels; c++) {
          float x = frames[frame + c];
          float[] weights = convRows[row + c];
          for (int h = 0; h < width; h++) {
            hidden[h] += x * weights[h];
          }
        }
      }
      for (int h = 0; h < width; h++) {
        hidden[h] = LayerSelector.gelu(hidden[h]);
      }
      // in double: a long utterance's sum in float would round enough to flip near-tied layers
      for (int h = 0; h < width; h++) {
        sum[h] += hidden[h];
      }
    }
    float[] pooled = new float[width];
    for (int h = 0; h < width; h++) {
      pooled[h] = (float) (sum[h] / length);
    }
    return pooled;
  }

  private void addEightRows(float[] hidden, float[] frames, int frame, int row) {
    float x0 = frames[frame];
    float x1 = frames[frame + 1];
    float x2 = frames[frame + 2];
    float x3 = frames[frame + 3];
    float x4 = frames[frame + 4];
    float x5 = frames[frame + 5];
    float x6 = frames[frame + 6];
    float x7 = frames[frame + 7];
    float[] w0 = convRows[row];
    float[] w1 = convRows[row + 1];
    float[] w2 = convRows[row + 2];
    float[] w3 = convRows[row + 3];
    float[] w4 = convRows[row + 4];
    float[] w5 = convRows[row + 5];
    float[] w6 = convRows[row + 6];
    float[] w7 = convRows[row + 7];
    for (int h = 0; h < hidden.length; h++) {
      hidden[h] += x0 * w0[h] + x1 * w1[h] + x2 * w2[h] + x3 * w3[h] + x4 * w4[h] + x5 * w5[h]
          + x6 * w6[h] + x7 * w7[h];
    }
  }

  private float[] output(float[] pooled, int budget) {
    int width = config.hiddenChannels();
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
