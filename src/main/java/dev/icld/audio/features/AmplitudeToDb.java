package dev.icld.audio.features;

/**
 * Decibels with the semantics of torchaudio 0.13.1's {@code torchaudio.transforms.AmplitudeToDB}
 * (reference 1, amin 1e-10): {@code multiplier * log10(max(x, 1e-10))}, multiplier 10 for power
 * and 20 for magnitude input, then optionally clipped to {@code topDb} below the maximum of the
 * whole matrix (so, as in torchaudio, the result of a clip depends on the clip's loudest value).
 */
public final class AmplitudeToDb {
  private static final double AMIN = 1e-10;

  /** torchaudio's {@code stype}: what the input holds. */
  public enum Stype {
    POWER,
    MAGNITUDE;

    /** Parses torchaudio's name, "power" or "magnitude". */
    public static Stype fromName(String name) {
      return switch (name) {
        case "power" -> POWER;
        case "magnitude" -> MAGNITUDE;
        default -> throw new IllegalArgumentException("unknown stype '" + name + "': expected power or magnitude");
      };
    }
  }

  private final double multiplier;
  private final Double topDb;

  /**
   * @param topDb dynamic range kept below the maximum, in dB, or null for no clipping (the default)
   */
  public AmplitudeToDb(Stype stype, Double topDb) {
    if (topDb != null && !(topDb >= 0)) {
      throw new IllegalArgumentException("topDb must be >= 0 or null, got " + topDb);
    }
    this.multiplier = stype == Stype.POWER ? 10.0 : 20.0;
    this.topDb = topDb;
  }

  /** Decibels of {@code values}, a new matrix of the same shape. */
  public float[][] apply(float[][] values) {
    float[][] out = new float[values.length][];
    double max = Double.NEGATIVE_INFINITY;
    for (int t = 0; t < values.length; t++) {
      out[t] = new float[values[t].length];
      for (int j = 0; j < values[t].length; j++) {
        double db = multiplier * Math.log10(Math.max(values[t][j], AMIN));
        out[t][j] = (float) db;
        max = Math.max(max, out[t][j]);
      }
    }
    if (topDb != null) {
      float floor = (float) (max - topDb);
      for (float[] row : out) {
        for (int j = 0; j < row.length; j++) {
          row[j] = Math.max(row[j], floor);
        }
      }
    }
    return out;
  }
}
