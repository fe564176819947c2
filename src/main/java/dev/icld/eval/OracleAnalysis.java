package dev.icld.eval;

import ai.djl.ndarray.NDManager;
import dev.icld.data.Corpus;
import dev.icld.data.ProgressBar;
import dev.icld.data.VoiceFamily;
import dev.icld.metrics.MaskVariation;
import dev.icld.model.Torch;
import dev.icld.selection.StaticSubsets;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntPredicate;

/**
 * How much choosing the layers per input could buy at most, before any selector is trained to
 * do it: every dev and test utterance runs under every candidate k-layer mask, and each way of
 * choosing a mask per test utterance is scored against the best single mask chosen on dev. The
 * per-utterance oracles read the test label, so they bound from above what a selector reading
 * the audio could reach among these candidates; a group-conditional oracle chooses on dev, one
 * mask per group (class, voice family), as a selector that could tell the group would.
 */
public final class OracleAnalysis {
  public static final String FULL = "full depth";
  public static final String STATIC_BY_SEARCH = "static-by-search";
  public static final String MODEL_STATIC = "model's static subset";
  public static final String LOSS_ORACLE = "per-utterance loss oracle";
  public static final String ACCURACY_ORACLE = "per-utterance any-right oracle";
  public static final String CLASS_ORACLE = "class-conditional oracle";
  public static final String FAMILY_ORACLE = "voice-family oracle";
  public static final String SEEN_ORACLE = "seen/held-out voice oracle";
  private static final double LEVEL = 0.95;

  /**
   * @param budgets the k to analyse, each in 1..L (one outside fails before any pass)
   * @param candidates random k-subsets per budget, beside first-k and the static subset
   * @param seed the candidates' draws and the bootstrap resampling
   */
  public record Options(List<Integer> budgets, int candidates, long seed, int resamples) {
    public Options {
      budgets = List.copyOf(budgets);
      if (candidates < 1) {
        throw new IllegalArgumentException("--candidates must be at least 1, got " + candidates);
      }
      if (resamples < 1) {
        throw new IllegalArgumentException("--resamples must be at least 1, got " + resamples);
      }
    }
  }

  /**
   * One way of choosing a mask per test utterance, and what it reached on test.
   *
   * @param chosenOn what chose the masks: "dev", "test labels" (an oracle), or "-"
   * @param candidateOf per test utterance, the index of the candidate it ran
   * @param accuracy on test, with its 95% bootstrap {@code interval}
   * @param meanLoss the mean cross-entropy of the true label, nats
   * @param gap accuracy minus static-by-search's, with its 95% paired bootstrap
   *     {@code gapInterval}; null for static-by-search itself and for full depth
   * @param byClass the variation of the chosen masks, with I(mask; class)
   * @param shuffledClassBits I(mask; class) with the test classes shuffled: the plug-in
   *     estimate's upward bias at this many utterances and masks, to read {@code byClass} against
   * @param byFamily the same, with I(mask; voice family)
   * @param fallbackUtterances test utterances whose group dev lacks, which ran static-by-search's
   *     mask
   */
  public record Row(String name, String chosenOn, int[] candidateOf, double accuracy,
      double[] interval, double meanLoss, Double gap, double[] gapInterval, MaskVariation byClass,
      double shuffledClassBits, MaskVariation byFamily, int fallbackUtterances) {}

  /** A candidate with its dev and test scores. */
  public record ScoredCandidate(CandidateMasks.Candidate candidate, double devAccuracy,
      double testAccuracy, double testMeanLoss) {}

  /**
   * One budget's analysis.
   *
   * @param staticBest the index of static-by-search's candidate
   * @param rows static-by-search, the model's static subset (where it has one), the oracles
   * @param classMasks the class-conditional oracle's choice: per dev class, in label order, the
   *     sorted layers of its best candidate on dev (what {@code icld train-selector
   *     --mask-targets} distils)
   */
  public record BudgetResult(int keep, List<ScoredCandidate> candidates, int staticBest,
      List<Row> rows, Map<String, List<Integer>> classMasks) {}

  /** The whole analysis: full depth, then each budget. */
  public record Result(Row full, List<BudgetResult> budgets, int devUtterances,
      int testUtterances) {}

  private final UtteranceRunner dev;
  private final UtteranceRunner test;
  private final StaticSubsets statics;
  private final Set<String> trainingFamilies;
  private final Options options;
  private final int[] testClasses;
  private final int[] testFamilies;
  /** The test classes in a seeded random order, which no mask can carry information about. */
  private final int[] shuffledClasses;

  /**
   * @param dev a classification model on the dev split (choices are made on it)
   * @param test the same model on the test split (results are reported on it)
   * @param statics the model's static subsets, or null where it has none
   * @param trainingFamilies the voice families train.jsonl has, or null without one (then no
   *     seen/held-out oracle)
   */
  public OracleAnalysis(UtteranceRunner dev, UtteranceRunner test, StaticSubsets statics,
      Set<String> trainingFamilies, Options options) {
    if (!test.model().task().classification()) {
      throw new IllegalArgumentException("icld oracle covers classification (kws, sid, sound); "
          + "the model's task is " + test.model().task().id());
    }
    this.dev = dev;
    this.test = test;
    this.statics = statics;
    this.trainingFamilies = trainingFamilies;
    this.options = options;
    this.testClasses = UtteranceGroups.of(test.model(), test.corpus()).groupOf();
    this.testFamilies = ids(families(test.corpus()));
    this.shuffledClasses = testClasses.clone();
    Random random = new Random(options.seed());
    for (int i = shuffledClasses.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = shuffledClasses[i];
      shuffledClasses[i] = shuffledClasses[j];
      shuffledClasses[j] = swap;
    }
  }

  public Result run() throws IOException {
    int layers = test.model().backbone().layerCount();
    Map<Integer, List<CandidateMasks.Candidate>> candidates = new HashMap<>();
    long passes = 1;
    for (int k : options.budgets()) {
      List<CandidateMasks.Candidate> forK = CandidateMasks.of(layers, k, options.candidates(),
          options.seed(), statics == null ? null : statics.mask(k));
      candidates.put(k, forK);
      passes += 2L * forK.size();
    }
    try (NDManager manager = Torch.newManager();
        ProgressBar bar = new ProgressBar("oracle passes", passes)) {
      FrontEndBatches devBatches = FrontEndBatches.of(dev, manager);
      FrontEndBatches testBatches = FrontEndBatches.of(test, manager);
      boolean[] all = new boolean[layers];
      Arrays.fill(all, true);
      CandidateScores fullScores =
          CandidateScores.run(test, testBatches, List.of(all), bar, manager);
      Row full = row(FULL, "-", fullScores, new int[test.corpus().size()], null, List.of(all), 0);
      List<BudgetResult> budgets = new ArrayList<>();
      for (int k : options.budgets()) {
        List<CandidateMasks.Candidate> forK = candidates.get(k);
        List<boolean[]> masks = forK.stream().map(CandidateMasks.Candidate::mask).toList();
        CandidateScores devScores = CandidateScores.run(dev, devBatches, masks, bar, manager);
        CandidateScores testScores = CandidateScores.run(test, testBatches, masks, bar, manager);
        budgets.add(budget(k, forK, masks, devScores, testScores));
      }
      return new Result(full, budgets, dev.corpus().size(), test.corpus().size());
    }
  }

  private BudgetResult budget(int keep, List<CandidateMasks.Candidate> candidates,
      List<boolean[]> masks, CandidateScores devScores, CandidateScores testScores) {
    int testSize = testScores.utterances();
    int staticBest = best(devScores, u -> true);
    int[] staticChoice = new int[testSize];
    Arrays.fill(staticChoice, staticBest);
    List<Row> rows = new ArrayList<>();
    rows.add(row(STATIC_BY_SEARCH, "dev", testScores, staticChoice, null, masks, 0));
    for (int c = 0; c < candidates.size(); c++) {
      if (candidates.get(c).is(CandidateMasks.STATIC)) {
        int[] modelStatic = new int[testSize];
        Arrays.fill(modelStatic, c);
        rows.add(row(MODEL_STATIC, "dev (its own search)", testScores, modelStatic, staticChoice,
            masks, 0));
      }
    }
    int[] lowestLoss = new int[testSize];
    int[] anyRight = new int[testSize];
    for (int u = 0; u < testSize; u++) {
      for (int c = 1; c < masks.size(); c++) {
        if (testScores.loss()[u][c] < testScores.loss()[u][lowestLoss[u]]) {
          lowestLoss[u] = c;
        }
      }
      // The lowest-loss candidate where it is right or none is, else the first that is right.
      anyRight[u] = lowestLoss[u];
      for (int c = masks.size() - 1; c >= 0; c--) {
        if (testScores.correct()[u][c] && !testScores.correct()[u][lowestLoss[u]]) {
          anyRight[u] = c;
        }
      }
    }
    rows.add(row(LOSS_ORACLE, "test labels", testScores, lowestLoss, staticChoice, masks,
        0));
    rows.add(row(ACCURACY_ORACLE, "test labels", testScores, anyRight, staticChoice, masks,
        0));
    Map<String, Integer> classBest = bestPerGroup(labels(dev.corpus()), devScores);
    rows.add(conditional(CLASS_ORACLE, classBest, labels(test.corpus()), testScores, staticBest,
        staticChoice, masks));
    rows.add(conditional(FAMILY_ORACLE, bestPerGroup(families(dev.corpus()), devScores),
        families(test.corpus()), testScores, staticBest, staticChoice, masks));
    if (trainingFamilies != null) {
      rows.add(conditional(SEEN_ORACLE, bestPerGroup(seen(families(dev.corpus())), devScores),
          seen(families(test.corpus())), testScores, staticBest, staticChoice, masks));
    }
    Map<String, List<Integer>> classMasks = new TreeMap<>();
    classBest.forEach((label, c) -> classMasks.put(label, candidates.get(c).keptLayers()));
    List<ScoredCandidate> scored = new ArrayList<>();
    for (int c = 0; c < candidates.size(); c++) {
      int[] only = new int[testSize];
      Arrays.fill(only, c);
      int[] onlyDev = new int[devScores.utterances()];
      Arrays.fill(onlyDev, c);
      scored.add(new ScoredCandidate(candidates.get(c), mean(devScores.correctness(onlyDev)),
          mean(testScores.correctness(only)), testScores.meanLoss(only)));
    }
    return new BudgetResult(keep, scored, staticBest, rows, classMasks);
  }

  /** Each dev group's best candidate on dev. */
  private static Map<String, Integer> bestPerGroup(String[] devGroups, CandidateScores devScores) {
    Map<String, Integer> bestOf = new HashMap<>();
    for (String group : new HashSet<>(Arrays.asList(devGroups))) {
      bestOf.put(group, best(devScores, u -> devGroups[u].equals(group)));
    }
    return bestOf;
  }

  /**
   * Each group's best candidate on dev ({@code bestOf}), run on the test utterances of that
   * group; a group dev lacks runs static-by-search's.
   */
  private Row conditional(String name, Map<String, Integer> bestOf, String[] testGroups,
      CandidateScores testScores, int staticBest, int[] staticChoice, List<boolean[]> masks) {
    int[] choice = new int[testGroups.length];
    int fallback = 0;
    for (int u = 0; u < choice.length; u++) {
      Integer best = bestOf.get(testGroups[u]);
      fallback += best == null ? 1 : 0;
      choice[u] = best == null ? staticBest : best;
    }
    return row(name, "dev", testScores, choice, staticChoice, masks, fallback);
  }

  /**
   * The candidate with the most right answers on the utterances {@code includes} admits; ties
   * go to the lower summed loss, then to the earlier candidate.
   */
  private static int best(CandidateScores scores, IntPredicate includes) {
    int best = 0;
    long bestRight = -1;
    double bestLoss = Double.POSITIVE_INFINITY;
    for (int c = 0; c < scores.candidates(); c++) {
      long right = 0;
      double loss = 0;
      for (int u = 0; u < scores.utterances(); u++) {
        if (includes.test(u)) {
          right += scores.correct()[u][c] ? 1 : 0;
          loss += scores.loss()[u][c];
        }
      }
      if (right > bestRight || (right == bestRight && loss < bestLoss)) {
        best = c;
        bestRight = right;
        bestLoss = loss;
      }
    }
    return best;
  }

  private Row row(String name, String chosenOn, CandidateScores scores, int[] candidateOf,
      int[] reference, List<boolean[]> masks, int fallback) {
    double[] hits = scores.correctness(candidateOf);
    double[] ones = new double[hits.length];
    Arrays.fill(ones, 1);
    double[] interval =
        Bootstrap.interval(hits, ones, options.resamples(), LEVEL, options.seed());
    Double gap = null;
    double[] gapInterval = null;
    if (reference != null) {
      double[] referenceHits = scores.correctness(reference);
      gap = mean(hits) - mean(referenceHits);
      gapInterval = Bootstrap.pairedDifferenceInterval(hits, referenceHits, ones,
          options.resamples(), LEVEL, options.seed());
    }
    List<boolean[]> chosen = Arrays.stream(candidateOf).mapToObj(masks::get).toList();
    return new Row(name, chosenOn, candidateOf, mean(hits), interval, scores.meanLoss(candidateOf),
        gap, gapInterval, MaskVariation.of(chosen, testClasses),
        MaskVariation.of(chosen, shuffledClasses).mutualInformationBits(),
        MaskVariation.of(chosen, testFamilies), fallback);
  }

  private static double mean(double[] values) {
    return Arrays.stream(values).average().orElse(Double.NaN);
  }

  private static String[] labels(Corpus corpus) {
    return corpus.utterances().stream().map(u -> u.entry().label()).toArray(String[]::new);
  }

  private static String[] families(Corpus corpus) {
    return corpus.utterances().stream().map(u -> VoiceFamily.of(u.entry().speaker()))
        .toArray(String[]::new);
  }

  private String[] seen(String[] families) {
    return Arrays.stream(families)
        .map(f -> trainingFamilies.contains(f) ? "seen" : "held out").toArray(String[]::new);
  }

  /** Each distinct value's index, in order of first appearance. */
  private static int[] ids(String[] values) {
    Map<String, Integer> ids = new HashMap<>();
    return Arrays.stream(values).mapToInt(v -> ids.computeIfAbsent(v, x -> ids.size())).toArray();
  }
}
