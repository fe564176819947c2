package dev.icld.train;

import java.util.Random;

/**
 * WavLM's denoising pretraining: some utterances of a batch get a stretch of another utterance of
 * the same batch added over part of them, while their targets stay their own, so that the model
 * learns to attend to the main speaker and ignore an overlapping one. As in the WavLM paper, the
 * overlap covers at most half of the main utterance and the interfering speech is scaled to an
 * energy ratio drawn uniformly from -5 to 5 dB.
 */
public final class UtteranceMixing {
  static final double MAX_RATIO_DB = 5;

  private final double probability;

  /** @param probability chance that an utterance gets an overlap; 0 turns mixing off */
  public UtteranceMixing(double probability) {
    if (!(probability >= 0 && probability <= 1)) {
      throw new IllegalArgumentException("the mixing probability must be in [0, 1], got "
          + probability);
    }
    this.probability = probability;
  }

  public double probability() {
    return probability;
  }

  /**
   * The batch's audio with overlaps added; the input arrays are left as they are. Utterances that
   * get no overlap (and every utterance of a batch of one) are returned unchanged.
   *
   * @param lengths valid samples of each row (rows are zero-padded to the longest)
   */
  public float[][] mix(float[][] audio, int[] lengths, Random random) {
    float[][] mixed = audio.clone();
    if (probability == 0 || audio.length < 2) {
      return mixed;
    }
    for (int main = 0; main < audio.length; main++) {
      if (random.nextDouble() >= probability) {
        continue;
      }
      int other = random.nextInt(audio.length - 1);
      if (other >= main) {
        other++;
      }
      int span = Math.min(1 + random.nextInt(Math.max(1, lengths[main] / 2)), lengths[other]);
      int at = random.nextInt(lengths[main] - span + 1);
      int from = random.nextInt(lengths[other] - span + 1);
      double ratioDb = (2 * random.nextDouble() - 1) * MAX_RATIO_DB;
      double mainEnergy = meanSquare(audio[main], 0, lengths[main]);
      double otherEnergy = meanSquare(audio[other], from, span);
      if (mainEnergy == 0 || otherEnergy == 0) {
        continue;
      }
      // main energy over the overlap's energy is ratioDb: the overlap's gain squared is
      // mainEnergy / (otherEnergy * 10^(ratioDb / 10)).
      float gain = (float) Math.sqrt(mainEnergy / (otherEnergy * Math.pow(10, ratioDb / 10)));
      float[] row = audio[main].clone();
      for (int i = 0; i < span; i++) {
        row[at + i] += gain * audio[other][from + i];
      }
      mixed[main] = row;
    }
    return mixed;
  }

  private static double meanSquare(float[] samples, int from, int count) {
    double sum = 0;
    for (int i = from; i < from + count; i++) {
      sum += (double) samples[i] * samples[i];
    }
    return count == 0 ? 0 : sum / count;
  }
}
