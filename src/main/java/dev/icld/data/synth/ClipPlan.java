package dev.icld.data.synth;

/**
 * One clip of a corpus, fully decided before any audio is made, so that rendering is a pure
 * function of the plan and parallel rendering cannot change the result.
 *
 * @param index position in the corpus (train, then dev, then test); names the audio file
 * @param split the partition the clip belongs to
 * @param label class label, or null for asr
 * @param transcript normalised words spoken, or null
 * @param speech what to synthesise, or null for clips made without speech (silence, sounds)
 * @param recording source recording of a sound-event clip, or null
 * @param renderSeed seed of the random stream the renderer draws shift, noise and gains from
 */
record ClipPlan(
    int index,
    Split split,
    String label,
    String transcript,
    SpeechRequest speech,
    Recording recording,
    long renderSeed) {

  String speaker() {
    return speech == null ? null : speech.voice().id();
  }
}
