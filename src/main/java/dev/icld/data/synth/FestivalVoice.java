package dev.icld.data.synth;

/** Festival voices from Debian, each recorded from one real person. */
enum FestivalVoice {
  KAL("kal", "english/kal_diphone", "voice_kal_diphone", "festvox-kallpc16k", false),
  KED("ked", "english/ked_diphone", "voice_ked_diphone", "festvox-kdlpc16k", false),
  SLT("slt", "us/cmu_us_slt_arctic_hts", "voice_cmu_us_slt_arctic_hts", "festvox-us-slt-hts", true);

  private final String key;
  private final String directory;
  private final String selector;
  private final String debianPackage;
  private final boolean female;

  FestivalVoice(String key, String directory, String selector, String debianPackage,
      boolean female) {
    this.key = key;
    this.directory = directory;
    this.selector = selector;
    this.debianPackage = debianPackage;
    this.female = female;
  }

  String key() {
    return key;
  }

  /** Folder under /usr/share/festival/voices. */
  String directory() {
    return directory;
  }

  /** The Scheme function that selects the voice. */
  String selector() {
    return selector;
  }

  String debianPackage() {
    return debianPackage;
  }

  boolean female() {
    return female;
  }
}
