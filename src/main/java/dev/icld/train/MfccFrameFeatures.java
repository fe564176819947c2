package dev.icld.train;

import dev.icld.audio.features.Deltas;
import dev.icld.audio.features.KaldiMfcc;
import dev.icld.audio.features.KaldiMfccOptions;

/**
 * HuBERT's first-iteration features: 13 Kaldi MFCCs (torchaudio's defaults, without energy, no
 * dither) with deltas and delta-deltas, 39 values per 10 ms frame, not normalised.
 */
public final class MfccFrameFeatures implements FrameFeatures {
  /** Kaldi's 25 ms window: shorter waveforms give no frame. */
  private static final int WINDOW_SAMPLES = 400;

  private final KaldiMfcc mfcc = new KaldiMfcc(KaldiMfccOptions.builder().useEnergy(false).build());
  private final Deltas deltas = new Deltas();

  @Override
  public int frameRate() {
    return 100;
  }

  @Override
  public float[][] compute(float[] samples) {
    if (samples.length < WINDOW_SAMPLES) {
      return new float[0][];
    }
    return deltas.appendDeltas(mfcc.compute(samples));
  }

  @Override
  public String description() {
    return "39-d MFCC+deltas at 100 Hz (Kaldi MFCC, no energy, 13 cepstra)";
  }
}
