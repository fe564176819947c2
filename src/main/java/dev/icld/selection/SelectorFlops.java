package dev.icld.selection;

import dev.icld.model.Flops;
import dev.icld.model.FoundationModel;
import dev.icld.model.ModelConfig;

/**
 * Analytical compute of the layer-selecting network on an utterance, counted as {@link Flops}
 * counts the backbone (a multiply-accumulate is 2 FLOPs; activations not counted): the conv
 * 2·C_in·H·3 per frame, the masked mean-pool H adds per frame plus H divisions (the maximum beside it
 * H comparisons per frame, counted as FLOPs), the budget
 * embedding lookup nothing, the output layer 2·(P + E)·L once per
 * utterance (P the pooled width). With log-mel input the
 * filterbank computation is added as an upper estimate per 10 ms frame: the window and
 * pre-emphasis 4·W, a real FFT of N points counted as a complex one, 5·N·log2 N, the power
 * spectrum 3 per bin, and the mel projection 2 per filter weight (each filter multiplies only the
 * bins under its triangle, as {@code KaldiFbank} computes it). With feature-encoder input the
 * selector reads what the backbone has already computed, so its input costs nothing.
 *
 * @param seconds the utterance length
 * @param frames the frames the selector reads
 * @param input computing the input (log-mel filterbanks; 0 for features)
 * @param conv the convolution
 * @param pooling the masked pooling
 * @param output the output layer
 */
public record SelectorFlops(double seconds, int frames, long input, long conv, long pooling, long output) {

  /** The counts for {@code selector} on a backbone of {@code model} for {@code seconds} of audio. */
  public static SelectorFlops of(SelectorConfig selector, ModelConfig model, double seconds) {
    long samples = Math.round(seconds * FoundationModel.SAMPLE_RATE);
    long input = 0;
    int frames;
    if (selector.input() == SelectorInputKind.FEATURES) {
      frames = Flops.of(model, seconds).frames();
    } else {
      LogMelFilterbanks filterbanks = new LogMelFilterbanks();
      frames = filterbanks.frames(samples);
      long window = Math.round(filterbanks.options().frameLength() * FoundationModel.SAMPLE_RATE / 1000);
      long fft = Long.highestOneBit(window - 1) << 1;
      long bins = fft / 2 + 1;
      long perFrame = 4 * window + Math.round(5 * fft * (Math.log(fft) / Math.log(2))) + 3 * bins
          + 2L * filterbanks.melWeightCount();
      input = perFrame * frames;
    }
    long h = selector.hiddenChannels();
    long conv = 2L * selector.inputChannels() * h * SelectorConfig.KERNEL * frames;
    long pooling = h * frames + h
        + (selector.pooling() == SelectorPooling.MEAN_MAX ? h * frames : 0);
    long output = 2L * (selector.pooledWidth() + selector.budgetEmbedding()) * selector.layers();
    return new SelectorFlops(seconds, frames, input, conv, pooling, output);
  }

  public long total() {
    return input + conv + pooling + output;
  }

  /** FLOPs per second of audio. */
  public double perSecond() {
    return total() / seconds;
  }

  /** This cost as a fraction of {@code backbone}'s with all of its layers (the same length). */
  public double fractionOfFullModel(Flops backbone) {
    if (Math.abs(backbone.seconds() - seconds) > 1e-9) {
      throw new IllegalArgumentException("compare counts for the same length: selector "
          + seconds + " s, backbone " + backbone.seconds() + " s");
    }
    return total() / (double) backbone.total(backbone.layers());
  }
}
