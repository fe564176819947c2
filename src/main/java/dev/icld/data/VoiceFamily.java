package dev.icld.data;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The voice family of a speaker: what a model may have heard before even when the speaker is new.
 * icld synth's speakers are perturbations of a few TTS voices, so an unseen speaker of a family
 * heard in training is far less new than a speaker of a family never heard. The family is the
 * speaker id without its per-speaker number: {@code flite-slt-p03} is {@code flite-slt},
 * {@code festival-ked-p01} is {@code festival-ked}; every espeak-ng speaker ({@code
 * espeak-rp-v017}) is {@code espeak-ng}, because all of them are one engine's formant synthesis
 * with other settings.
 *
 * <p>Any other speaker (imported real corpora, clips without a speaker) is {@link #OTHER}, one
 * family for all: those ids name people, not voices derived from a shared recording, so nothing
 * in them says which speakers sound alike. A real test speaker is then "seen" exactly when the
 * training split has real speakers too, and a corpus of real speech only has a single family, for
 * which the seen and held-out comparison does not apply.
 */
public final class VoiceFamily {
  /** The family of every speaker whose id is not an icld synth speaker's. */
  public static final String OTHER = "other";
  public static final String ESPEAK = "espeak-ng";

  private static final Pattern ESPEAK_SPEAKER = Pattern.compile("espeak-[a-z]+-v\\d+");
  private static final Pattern RECORDED_SPEAKER =
      Pattern.compile("((?:flite|festival)-[a-z0-9]+)-p\\d+");

  private VoiceFamily() {}

  /** The family of a speaker id; null (no speaker) is {@link #OTHER}. */
  public static String of(String speaker) {
    if (speaker == null) {
      return OTHER;
    }
    if (ESPEAK_SPEAKER.matcher(speaker).matches()) {
      return ESPEAK;
    }
    Matcher recorded = RECORDED_SPEAKER.matcher(speaker);
    return recorded.matches() ? recorded.group(1) : OTHER;
  }

  /** The families of a manifest's speakers, sorted. */
  public static Set<String> of(Collection<ManifestEntry> entries) {
    Set<String> families = new TreeSet<>();
    entries.forEach(e -> families.add(of(e.speaker())));
    return families;
  }
}
