package dev.icld.audio;

/**
 * Decoded audio before mix-down: {@code channels[c][i]} is sample {@code i} of channel {@code c},
 * scaled to [-1, 1] (integer PCM divided by 2^(bits-1)).
 */
record MultichannelAudio(float[][] channels, int sampleRate) {

  int frameCount() {
    return channels[0].length;
  }

  /** Mixes down to mono by averaging the channels; a single channel is passed through untouched. */
  Audio toMono() {
    if (channels.length == 1) {
      return new Audio(channels[0], sampleRate);
    }
    int frames = frameCount();
    float[] mono = new float[frames];
    for (int i = 0; i < frames; i++) {
      double sum = 0;
      for (float[] channel : channels) {
        sum += channel[i];
      }
      mono[i] = (float) (sum / channels.length);
    }
    return new Audio(mono, sampleRate);
  }
}
