package dev.icld.audio;

/**
 * What an audio file holds, as {@link AudioFiles#probe} reads it from the header.
 *
 * @param sampleRate the native rate in Hz
 * @param channels before mix-down
 * @param frames samples per channel
 */
public record AudioInfo(int sampleRate, int channels, long frames) {

  /**
   * How many samples {@link AudioFiles#read(java.nio.file.Path, int)} gives at {@code targetRate}:
   * mixing down keeps the frames, resampling makes {@link Resampler#outputLength} of them.
   */
  public long samplesAt(int targetRate) {
    return Resampler.outputLength(frames, sampleRate, targetRate);
  }
}
