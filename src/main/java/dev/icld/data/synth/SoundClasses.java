package dev.icld.data.synth;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Sound-event classes of the Debian recordings, from their titles and file names. Rules are tried
 * in order and the first match wins; recordings no rule matches (jingles, wind, applause, ship
 * horns, ...) are too few per family to make a class and are left out of the sound task.
 */
final class SoundClasses {
  record Rule(String label, Pattern pattern) {}

  static final List<Rule> RULES = List.of(
      rule("speech", "^alsa/(front|rear|side)_|^freedesktop/audio-channel-"),
      rule("animal", "sheep|cow|horse|bird|lion|monkey|canary|cockchafer|gummy-cat"),
      rule("aircraft", "plane|jet |jet$|helicopter"),
      rule("train", "train|steam|level crossing|maglev|monorail"),
      rule("road_vehicle", "bus |bus$|truck|car horn|road vehicle"),
      rule("impact", "crash|explosion|splat|falling tree"),
      rule("machinery", "jackhammer|sawmill|chainsaw|machinery|sparking|bridge|mine|factory"
          + "|quarry"),
      rule("instrument", "cembalo|chord|cymbaly|piano|guitar|klavichord|trumpet|violoncello"
          + "|xylofon|percussion"),
      rule("ui_sound", "^freedesktop/|pisk|prompt|^sound-icons/pipe|beep|morse"));

  private SoundClasses() {}

  /** The class of a recording, or null when it belongs to none. */
  static String classify(Recording r) {
    String key = (r.id() + " " + r.title()).toLowerCase(Locale.ROOT);
    for (Rule rule : RULES) {
      if (rule.pattern().matcher(key).find()) {
        return rule.label();
      }
    }
    return null;
  }

  /** Speech recordings must not be background noise: "front left" contains a keyword. */
  static boolean isSpeech(Recording r) {
    return "speech".equals(classify(r));
  }

  private static Rule rule(String label, String regex) {
    return new Rule(label, Pattern.compile(regex));
  }
}
