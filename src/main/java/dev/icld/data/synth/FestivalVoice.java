package dev.icld.data.synth;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Festival voices from Debian, each recorded from one real person. The English ones speak in
 * every corpus; those of other languages (four more people) only in pretraining shards made with
 * {@code synth-phones --other-languages}.
 */
enum FestivalVoice {
  KAL("kal", "english/kal_diphone", "voice_kal_diphone", "festvox-kallpc16k", false,
      FestivalLanguage.ENGLISH),
  KED("ked", "english/ked_diphone", "voice_ked_diphone", "festvox-kdlpc16k", false,
      FestivalLanguage.ENGLISH),
  SLT("slt", "us/cmu_us_slt_arctic_hts", "voice_cmu_us_slt_arctic_hts", "festvox-us-slt-hts", true,
      FestivalLanguage.ENGLISH),
  ITALIAN_PC("it-pc", "italian/pc_diphone", "voice_pc_diphone", "festvox-itapc16k", false,
      FestivalLanguage.ITALIAN),
  ITALIAN_LP("it-lp", "italian/lp_diphone", "voice_lp_diphone", "festvox-italp16k", true,
      FestivalLanguage.ITALIAN),
  FINNISH_MV("fi-mv", "finnish/hy_fi_mv_diphone", "voice_hy_fi_mv_diphone", "festvox-suopuhe-mv",
      false, FestivalLanguage.FINNISH),
  FINNISH_LJ("fi-lj", "finnish/suo_fi_lj_diphone", "voice_suo_fi_lj_diphone",
      "festvox-suopuhe-lj", true, FestivalLanguage.FINNISH);

  private final String key;
  private final String directory;
  private final String selector;
  private final String debianPackage;
  private final boolean female;
  private final FestivalLanguage language;

  FestivalVoice(String key, String directory, String selector, String debianPackage,
      boolean female, FestivalLanguage language) {
    this.key = key;
    this.directory = directory;
    this.selector = selector;
    this.debianPackage = debianPackage;
    this.female = female;
    this.language = language;
  }

  /** The English voices, in declaration order. */
  static List<FestivalVoice> english() {
    return Arrays.stream(values()).filter(v -> v.language == FestivalLanguage.ENGLISH).toList();
  }

  /** The voices of other languages, in declaration order (pretraining only). */
  static List<FestivalVoice> otherLanguages() {
    return Arrays.stream(values()).filter(v -> v.language != FestivalLanguage.ENGLISH).toList();
  }

  /** The voice a festival selector names, if it names one of these. */
  static Optional<FestivalVoice> bySelector(String selector) {
    return Arrays.stream(values()).filter(v -> v.selector.equals(selector)).findFirst();
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

  FestivalLanguage language() {
    return language;
  }
}
