package dev.icld.data.synth;

import java.util.Map;
import java.util.Optional;

/**
 * Festival voices of other languages from Debian (diphone voices, each recorded from one real
 * person): more people than English has on this machine, for pretraining only. They read the
 * English sentences with their own language's letter-to-sound rules, so what they say is their
 * language's phones, with festival's exact phone times. Each phone is mapped to the nearest CMU
 * phone ({@link #cmuPhone}): the phone targets stay one inventory, and a phone heard from more
 * people is what makes the targets worth having.
 */
enum OtherLanguageVoice {
  ITALIAN_PC("it-pc", "italian/pc_diphone", "voice_pc_diphone", "festvox-itapc16k",
      Language.ITALIAN),
  ITALIAN_LP("it-lp", "italian/lp_diphone", "voice_lp_diphone", "festvox-italp16k",
      Language.ITALIAN),
  FINNISH_MV("fi-mv", "finnish/hy_fi_mv_diphone", "voice_hy_fi_mv_diphone", "festvox-suopuhe-mv",
      Language.FINNISH),
  FINNISH_LJ("fi-lj", "finnish/suo_fi_lj_diphone", "voice_suo_fi_lj_diphone",
      "festvox-suopuhe-lj", Language.FINNISH);

  /**
   * A language's phone set (festival's italian_phoneset.scm and suopuhe's finnish_phones.scm, all
   * of each) and the CMU phone nearest each: stress marks and length marks are dropped first.
   */
  enum Language {
    ITALIAN(Map.ofEntries(Map.entry("#", "pau"), Map.entry("i", "iy"), Map.entry("e", "ey"),
        Map.entry("E", "eh"), Map.entry("a", "aa"), Map.entry("o", "ow"), Map.entry("O", "ao"),
        Map.entry("u", "uw"), Map.entry("j", "y"), Map.entry("w", "w"), Map.entry("p", "p"),
        Map.entry("t", "t"), Map.entry("k", "k"), Map.entry("b", "b"), Map.entry("d", "d"),
        Map.entry("g", "g"), Map.entry("f", "f"), Map.entry("s", "s"), Map.entry("S", "sh"),
        Map.entry("v", "v"), Map.entry("z", "z"), Map.entry("Z", "zh"), Map.entry("ts", "s"),
        Map.entry("tS", "ch"), Map.entry("dz", "z"), Map.entry("dZ", "jh"), Map.entry("m", "m"),
        Map.entry("n", "n"), Map.entry("J", "n"), Map.entry("ng", "ng"), Map.entry("nf", "m"),
        Map.entry("l", "l"), Map.entry("L", "l"), Map.entry("r", "r"))),
    FINNISH(Map.ofEntries(Map.entry("#", "pau"), Map.entry("##", "pau"), Map.entry("a", "aa"),
        Map.entry("e", "eh"), Map.entry("i", "iy"), Map.entry("o", "ow"), Map.entry("u", "uw"),
        Map.entry("y", "uw"), Map.entry("@", "ae"), Map.entry("7", "er"), Map.entry("&", "ah"),
        Map.entry("p", "p"), Map.entry("t", "t"), Map.entry("k", "k"), Map.entry("b", "b"),
        Map.entry("d", "d"), Map.entry("g", "g"), Map.entry("f", "f"), Map.entry("T", "th"),
        Map.entry("D", "dh"), Map.entry("s", "s"), Map.entry("z", "z"), Map.entry("S", "sh"),
        Map.entry("Z", "zh"), Map.entry("h", "hh"), Map.entry("v", "v"), Map.entry("m", "m"),
        Map.entry("n", "n"), Map.entry("N", "ng"), Map.entry("l", "l"), Map.entry("L", "l"),
        Map.entry("r", "r"), Map.entry("j", "y"), Map.entry("w", "w")));

    private final Map<String, String> toCmu;

    Language(Map<String, String> toCmu) {
      this.toCmu = toCmu;
    }

    /** The CMU phone nearest a phone of this language's set (stress and length marks dropped). */
    String cmuPhone(String phone) {
      String base = phone;
      while (base.length() > 1 && (base.endsWith("1") || base.endsWith(":"))) {
        base = base.substring(0, base.length() - 1);
      }
      String cmu = toCmu.get(base);
      if (cmu == null) {
        throw new IllegalArgumentException("'" + phone + "' is not in festival's "
            + name().toLowerCase(java.util.Locale.ROOT) + " phone set " + toCmu.keySet());
      }
      return cmu;
    }
  }

  private final String key;
  private final String directory;
  private final String selector;
  private final String debianPackage;
  private final Language language;

  OtherLanguageVoice(String key, String directory, String selector, String debianPackage,
      Language language) {
    this.key = key;
    this.directory = directory;
    this.selector = selector;
    this.debianPackage = debianPackage;
    this.language = language;
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

  Language language() {
    return language;
  }

  /** The other-language voice a festival selector names, if it names one. */
  static Optional<OtherLanguageVoice> bySelector(String selector) {
    for (OtherLanguageVoice v : values()) {
      if (v.selector.equals(selector)) {
        return Optional.of(v);
      }
    }
    return Optional.empty();
  }
}
