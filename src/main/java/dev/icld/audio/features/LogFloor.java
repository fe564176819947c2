package dev.icld.audio.features;

/**
 * Natural log with a floor, {@code ln(max(x, floor))}: the usual log-mel compression when dB and
 * torchaudio's AmplitudeToDB clipping are not wanted (Kaldi floors at float32 epsilon, 1.19e-7).
 */
public final class LogFloor {
  private final double floor;

  public LogFloor(double floor) {
    if (!(floor > 0) || !Double.isFinite(floor)) {
      throw new IllegalArgumentException("log floor must be a finite value > 0, got " + floor);
    }
    this.floor = floor;
  }

  /** The log of every value, a new matrix of the same shape. */
  public float[][] apply(float[][] values) {
    float[][] out = new float[values.length][];
    for (int t = 0; t < values.length; t++) {
      out[t] = new float[values[t].length];
      for (int j = 0; j < values[t].length; j++) {
        out[t][j] = (float) Math.log(Math.max(values[t][j], floor));
      }
    }
    return out;
  }
}
