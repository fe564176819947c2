package dev.icld.selection;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.icld.audio.features.KaldiFbank;
import dev.icld.audio.features.KaldiFbankOptions;
import dev.icld.model.FoundationModel;
import java.util.Arrays;

/**
 * The selector's alternative input: 80 log-mel filterbanks per 10 ms frame (Kaldi's fbank with
 * 25 ms windows, no dither so the same audio always gives the same features), computed from the
 * 16 kHz waveform.
 */
public final class LogMelFilterbanks {
  public static final int BINS = 80;

  private final KaldiFbank fbank;

  public LogMelFilterbanks() {
    this.fbank = new KaldiFbank(KaldiFbankOptions.builder()
        .numMelBins(BINS)
        .dither(0)
        .sampleFrequency(FoundationModel.SAMPLE_RATE)
        .build());
  }

  public KaldiFbankOptions options() {
    return fbank.options();
  }

  /** The mel filters' weights in all, for counting the projection's FLOPs. */
  public int melWeightCount() {
    return fbank.melWeightCount();
  }

  /** Frames for an utterance of {@code samples} samples (0 when shorter than one window). */
  public int frames(long samples) {
    long window = Math.round(options().frameLength() * options().sampleFrequency() / 1000);
    long shift = Math.round(options().frameShift() * options().sampleFrequency() / 1000);
    return samples < window ? 0 : (int) (1 + (samples - window) / shift);
  }

  /**
   * @param audio per utterance, 16 kHz samples (rows may be padded)
   * @param lengths valid samples per utterance; each must span at least one 25 ms window
   * @return the filterbanks [B, T, 80], zero past each utterance's frames, in {@code manager}
   */
  public SelectionInput compute(float[][] audio, int[] lengths, NDManager manager) {
    if (audio.length != lengths.length || audio.length == 0) {
      throw new IllegalArgumentException(
          "need one length per utterance, got " + audio.length + " utterances and " + lengths.length);
    }
    float[][][] features = new float[audio.length][][];
    int[] frames = new int[audio.length];
    int longest = 0;
    for (int b = 0; b < audio.length; b++) {
      if (lengths[b] < 0 || lengths[b] > audio[b].length) {
        throw new IllegalArgumentException("utterance " + b + " has " + lengths[b]
            + " valid samples, outside 0.." + audio[b].length);
      }
      float[] samples = Arrays.copyOf(audio[b], lengths[b]);
      features[b] = frames(samples.length) == 0 ? new float[0][] : fbank.compute(samples);
      if (features[b].length == 0) {
        throw new IllegalArgumentException("utterance " + b + " (" + lengths[b]
            + " samples) is shorter than one " + options().frameLength() + " ms filterbank window");
      }
      frames[b] = features[b].length;
      longest = Math.max(longest, frames[b]);
    }
    float[] values = new float[audio.length * longest * BINS];
    for (int b = 0; b < audio.length; b++) {
      for (int t = 0; t < frames[b]; t++) {
        System.arraycopy(features[b][t], 0, values, (b * longest + t) * BINS, BINS);
      }
    }
    return SelectionInput.ofLogMel(manager.create(values, new Shape(audio.length, longest, BINS)), frames);
  }
}
