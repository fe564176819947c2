package dev.icld.metrics;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * How much the layers a method chooses vary from input to input, and how much of the input's
 * class they carry: whether an input-conditioned selector conditions at all. A selector that
 * learned one subset for every input has one mask, all utterances on it, Hamming distance 0 and
 * no information about the class.
 *
 * <p>The mutual information is the plug-in estimate from the empirical joint counts, biased
 * upwards on few utterances: where nearly every mask is unique (random layers), the mask names
 * the utterance and with it the class. Random layer dropping shows that bias at the same size.
 *
 * @param distinctMasks how many different masks were chosen
 * @param mostCommonMaskShare the share of utterances on the most common mask, in (0, 1]
 * @param meanPairwiseHamming over all pairs of utterances, the mean number of layers that one of
 *     the two runs and the other does not, in [0, L]
 * @param mutualInformationBits I(mask; class) in bits, in [0, min(H(mask), H(class))]; NaN where
 *     there are no classes (ASR)
 * @param normalisedMutualInformation I(mask; class) / H(mask), the share of the mask's entropy
 *     that the class accounts for, in [0, 1] (0 when every utterance has the same mask); NaN
 *     where there are no classes
 */
public record MaskVariation(double distinctMasks, double mostCommonMaskShare,
    double meanPairwiseHamming, double mutualInformationBits,
    double normalisedMutualInformation) {

  /**
   * The statistics of one mask per utterance.
   *
   * @param masks per utterance, the layers it ran; all of the same length
   * @param classes per utterance, its class, or null where there are none
   * @throws IllegalArgumentException without masks, with masks of different lengths, or with
   *     classes that are not one per mask
   */
  public static MaskVariation of(List<boolean[]> masks, int[] classes) {
    int utterances = masks.size();
    if (utterances == 0) {
      throw new IllegalArgumentException("no masks");
    }
    if (classes != null && classes.length != utterances) {
      throw new IllegalArgumentException(utterances + " masks but " + classes.length + " classes");
    }
    int layers = masks.get(0).length;
    Map<BitSet, Integer> maskIds = new HashMap<>();
    int[] maskOf = new int[utterances];
    long[] runningLayer = new long[layers];
    for (int u = 0; u < utterances; u++) {
      boolean[] mask = masks.get(u);
      if (mask.length != layers) {
        throw new IllegalArgumentException("mask " + u + " has " + mask.length + " layers, mask 0 "
            + layers);
      }
      BitSet key = new BitSet(layers);
      for (int i = 0; i < layers; i++) {
        if (mask[i]) {
          key.set(i);
          runningLayer[i]++;
        }
      }
      maskOf[u] = maskIds.computeIfAbsent(key, k -> maskIds.size());
    }
    Map<Integer, Integer> maskCounts = counts(maskOf);
    int mostCommon = maskCounts.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
    // A layer that c of N utterances run separates exactly c (N - c) of the pairs.
    double differingPairs = 0;
    for (long running : runningLayer) {
      differingPairs += running * (double) (utterances - running);
    }
    double pairs = utterances * (utterances - 1) / 2.0;
    double hamming = utterances < 2 ? 0 : differingPairs / pairs;
    double information = Double.NaN;
    double normalised = Double.NaN;
    if (classes != null) {
      int[] jointOf = new int[utterances];
      Map<Long, Integer> jointIds = new HashMap<>();
      for (int u = 0; u < utterances; u++) {
        long key = ((long) maskOf[u] << 32) | (classes[u] & 0xffffffffL);
        jointOf[u] = jointIds.computeIfAbsent(key, k -> jointIds.size());
      }
      double maskEntropy = entropyBits(maskCounts, utterances);
      double classEntropy = entropyBits(counts(classes), utterances);
      double jointEntropy = entropyBits(counts(jointOf), utterances);
      // Entropies summed in floating point can overshoot the bounds by a rounding error.
      information = Math.max(0, Math.min(Math.min(maskEntropy, classEntropy),
          maskEntropy + classEntropy - jointEntropy));
      normalised = maskEntropy == 0 ? 0 : Math.min(1, information / maskEntropy);
    }
    return new MaskVariation(maskCounts.size(), mostCommon / (double) utterances, hamming,
        information, normalised);
  }

  /**
   * The statistics of each draw's masks, averaged over the draws: a method with several seeded
   * draws (random) chose one mask per utterance in each, and pooling the draws would count the
   * same utterance several times.
   *
   * @param outcomes every utterance's outcome in each draw, the k-th outcome of an utterance
   *     belonging to draw k
   * @param classOf per utterance index, its class, or null where there are none
   * @throws IllegalArgumentException without outcomes
   */
  public static MaskVariation overDraws(List<Outcome> outcomes, int[] classOf) {
    if (outcomes.isEmpty()) {
      throw new IllegalArgumentException("no outcomes");
    }
    Map<Integer, Integer> drawsSeen = new HashMap<>();
    List<List<Outcome>> draws = new ArrayList<>();
    for (Outcome outcome : outcomes) {
      int draw = drawsSeen.merge(outcome.utterance(), 1, Integer::sum) - 1;
      if (draw == draws.size()) {
        draws.add(new ArrayList<>());
      }
      draws.get(draw).add(outcome);
    }
    List<MaskVariation> perDraw = new ArrayList<>();
    for (List<Outcome> draw : draws) {
      int[] classes = classOf == null ? null
          : draw.stream().mapToInt(o -> classOf[o.utterance()]).toArray();
      perDraw.add(of(draw.stream().map(Outcome::mask).toList(), classes));
    }
    return new MaskVariation(mean(perDraw, MaskVariation::distinctMasks),
        mean(perDraw, MaskVariation::mostCommonMaskShare),
        mean(perDraw, MaskVariation::meanPairwiseHamming),
        mean(perDraw, MaskVariation::mutualInformationBits),
        mean(perDraw, MaskVariation::normalisedMutualInformation));
  }

  private static double mean(List<MaskVariation> draws, ToDoubleFunction<MaskVariation> field) {
    return draws.stream().mapToDouble(field).average().orElseThrow();
  }

  private static Map<Integer, Integer> counts(int[] values) {
    Map<Integer, Integer> counts = new HashMap<>();
    for (int v : values) {
      counts.merge(v, 1, Integer::sum);
    }
    return counts;
  }

  private static double entropyBits(Map<Integer, Integer> counts, int total) {
    double bits = 0;
    for (int c : counts.values()) {
      double p = c / (double) total;
      bits -= p * Math.log(p) / Math.log(2);
    }
    return bits;
  }
}
