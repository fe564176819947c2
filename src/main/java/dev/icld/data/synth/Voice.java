package dev.icld.data.synth;

import java.util.Locale;

/**
 * One synthetic speaker: a TTS engine voice plus the settings that make it a distinct person.
 * Everything here is a function of {@link #id} alone (see {@link VoiceBank}), so a speaker id
 * names the same voice in every corpus and every task.
 *
 * @param id globally unique, stable speaker id, e.g. {@code espeak-rp-v017}, {@code flite-slt-p03}
 * @param engine the TTS engine
 * @param engineVoice espeak-ng language, flite voice name or festival voice selector
 * @param family the real person (or espeak-ng voice) behind the speaker; speakers of one family
 *     share a recorded voice and must stay in one split when test speakers must be unseen
 * @param espeakVariant text of the espeak-ng variant file (pitch, formants, ...); null otherwise
 * @param wordsPerMinute espeak-ng speaking rate
 * @param f0Mean flite's mean pitch target in Hz; 0 keeps the voice's own
 * @param durationStretch flite/festival duration scaling (1 = natural)
 * @param soxSpeed speed perturbation applied afterwards with sox (changes pitch and tempo)
 * @param soxPitchCents pitch shift applied afterwards with sox
 */
public record Voice(
    String id,
    Engine engine,
    String engineVoice,
    String family,
    String espeakVariant,
    int wordsPerMinute,
    int f0Mean,
    double durationStretch,
    double soxSpeed,
    int soxPitchCents) {

  /** Short description for the manifest's {@code source} field. */
  public String describe() {
    return switch (engine) {
      case ESPEAK -> String.format(Locale.ROOT, "espeak-ng %s+%s %dwpm", engineVoice, id,
          wordsPerMinute);
      case FLITE -> String.format(Locale.ROOT, "flite %s f0=%d stretch=%.2f; sox speed %.3f pitch %d",
          engineVoice, f0Mean, durationStretch, soxSpeed, soxPitchCents);
      case FESTIVAL -> String.format(Locale.ROOT, "festival %s stretch=%.2f; sox speed %.3f pitch %d",
          engineVoice, durationStretch, soxSpeed, soxPitchCents);
    };
  }

  boolean perturbedWithSox() {
    return soxSpeed != 1.0 || soxPitchCents != 0;
  }
}
