package dev.icld.data.synth;

/**
 * One utterance to synthesise.
 *
 * @param voice the speaker
 * @param text what to say (lower-case words)
 * @param rate speaking-rate factor for this utterance (1 = the speaker's own)
 */
record SpeechRequest(Voice voice, String text, double rate) {}
