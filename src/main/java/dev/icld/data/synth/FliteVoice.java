package dev.icld.data.synth;

/** Flite 2.2's built-in voices, each recorded from one real person. */
enum FliteVoice {
  AWB("awb", "awb", false),
  RMS("rms", "rms", false),
  SLT("slt", "slt", true),
  KAL("kal", "kal16", false);

  private final String key;
  private final String name;
  private final boolean female;

  FliteVoice(String key, String name, boolean female) {
    this.key = key;
    this.name = name;
    this.female = female;
  }

  String key() {
    return key;
  }

  /** The name flite's -voice option takes. */
  String fliteName() {
    return name;
  }

  boolean female() {
    return female;
  }
}
