package dev.icld.data;

/**
 * One utterance of a corpus, one line of a {@code train.jsonl}/{@code dev.jsonl}/{@code
 * test.jsonl} manifest.
 *
 * @param audio audio path, relative to the manifest's directory (or absolute)
 * @param duration seconds
 * @param label class label for classification tasks (kws, sid, sound); null for asr
 * @param transcript normalised transcript for asr; null otherwise
 * @param speaker speaker id (null for sound events)
 * @param source how the audio was made: TTS engine and voice, or the source recording
 * @param snr signal-to-noise ratio in dB of the noise mixed into the clip; null when none was
 *     mixed in (absent from the JSON line)
 */
public record ManifestEntry(
    String audio, double duration, String label, String transcript, String speaker,
    String source, Double snr) {

  /** An entry without added noise. */
  public ManifestEntry(
      String audio, double duration, String label, String transcript, String speaker,
      String source) {
    this(audio, duration, label, transcript, speaker, source, null);
  }
}
