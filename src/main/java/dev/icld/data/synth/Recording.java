package dev.icld.data.synth;

/**
 * A real recording from a Debian package, as 16 kHz mono samples.
 *
 * @param id stable id naming package and file, e.g. {@code opensfx-29}, {@code freedesktop/bell}
 * @param title what the recording is, from its catalogue title or file name
 */
record Recording(String id, String title, float[] samples) {
  double seconds() {
    return samples.length / (double) Sox.RATE;
  }
}
