package dev.icld.train;

/** Per-frame features of a waveform that k-means clusters into pretraining targets. */
public interface FrameFeatures {
  /** Frames per second of audio. */
  int frameRate();

  /**
   * @param samples 16 kHz mono
   * @return [frames][dimensions]; no rows when the waveform is too short for a single frame
   */
  float[][] compute(float[] samples);

  /** What the features are, for the model card and the target cache's key. */
  String description();
}
