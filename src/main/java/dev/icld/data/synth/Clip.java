package dev.icld.data.synth;

/**
 * A rendered clip: 16 kHz samples plus what the manifest says about how they were made.
 *
 * @param snr dB of the added noise, or null when none was added
 */
record Clip(float[] samples, String source, Double snr) {}
