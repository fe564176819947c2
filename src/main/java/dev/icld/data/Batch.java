package dev.icld.data;

import java.util.List;

/**
 * Utterances padded to a common length, as plain arrays ready to become tensors.
 *
 * @param utterances the batch's utterances, row by row
 * @param audio [batch][maxLength] 16 kHz waveforms, zero after each row's length
 * @param lengths real samples per row
 * @param mask [batch][maxLength], true on real samples, false on padding
 * @param labels class index per row for {@link TargetKind#LABEL}; null otherwise
 * @param targets [batch][longest target] character indices per row for
 *     {@link TargetKind#TRANSCRIPT}, padded with {@link CharacterVocabulary#BLANK}; null otherwise
 * @param targetLengths characters per row for {@link TargetKind#TRANSCRIPT}; null otherwise
 */
public record Batch(
    List<Utterance> utterances,
    float[][] audio,
    int[] lengths,
    boolean[][] mask,
    int[] labels,
    int[][] targets,
    int[] targetLengths) {

  public int size() {
    return lengths.length;
  }

  public int maxLength() {
    return audio.length == 0 ? 0 : audio[0].length;
  }

  /** Padded samples in the batch (the cost of padding in tensors). */
  public long paddedSamples() {
    return (long) size() * maxLength();
  }

  /** Real samples in the batch. */
  public long realSamples() {
    long sum = 0;
    for (int length : lengths) {
      sum += length;
    }
    return sum;
  }
}
