package dev.icld.data.synth;

import java.util.Locale;
import java.util.Map;

/**
 * The language of a festival voice, and how its phones become CMU phones. English voices speak
 * CMU phones already. festival's Italian and Finnish voices read the English sentences with their
 * own letter-to-sound rules, so what they say is their language's phones, with festival's exact
 * phone times; each is mapped to the nearest CMU phone, so that the phone targets stay one
 * inventory and a phone is heard from more people. The maps hold every phone of festival's
 * italian_phoneset.scm and suopuhe's finnish_phones.scm.
 */
enum FestivalLanguage {
  ENGLISH(null),
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

  /** null for English: its phones are CMU's. */
  private final Map<String, String> toCmu;

  FestivalLanguage(Map<String, String> toCmu) {
    this.toCmu = toCmu;
  }

  /** The CMU phone nearest a phone of this language's set (stress and length marks dropped). */
  String cmuPhone(String phone) {
    if (toCmu == null) {
      return phone;
    }
    String base = phone;
    while (base.length() > 1 && (base.endsWith("1") || base.endsWith(":"))) {
      base = base.substring(0, base.length() - 1);
    }
    String cmu = toCmu.get(base);
    if (cmu == null) {
      throw new IllegalArgumentException("'" + phone + "' is not in festival's "
          + name().toLowerCase(Locale.ROOT) + " phone set " + toCmu.keySet());
    }
    return cmu;
  }
}
