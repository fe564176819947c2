package dev.icld.eval;

import dev.icld.selection.Budget;
import dev.icld.selection.FirstLayersPolicy;
import dev.icld.selection.RandomLayersPolicy;
import dev.icld.selection.SelectionInput;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The k-layer masks an oracle analysis chooses among: the first k layers, the model's static
 * subset for k where it has one, and distinct random k-subsets, drawn as random layer dropping
 * draws them from a generator seeded by the seed and k.
 */
public final class CandidateMasks {
  static final String FIRST_K = "first-k";
  static final String STATIC = "static";
  static final String RANDOM = "random";

  /**
   * One candidate.
   *
   * @param origins where it comes from: first-k, static (both when the static subset is the
   *     first k layers) or random
   */
  public record Candidate(List<String> origins, boolean[] mask) {
    public Candidate {
      origins = List.copyOf(origins);
      mask = mask.clone();
    }

    @Override
    public boolean[] mask() {
      return mask.clone();
    }

    public boolean is(String origin) {
      return origins.contains(origin);
    }

    /** The kept layers, 0-based, ascending. */
    public List<Integer> keptLayers() {
      List<Integer> kept = new ArrayList<>();
      for (int i = 0; i < mask.length; i++) {
        if (mask[i]) {
          kept.add(i);
        }
      }
      return kept;
    }

    /** The kept layers, 0-based, as "0,3,7". */
    public String layers() {
      return joined(keptLayers());
    }
  }

  private CandidateMasks() {}

  /** Layer indices as "0,3,7". */
  static String joined(List<Integer> layers) {
    return String.join(",", layers.stream().map(String::valueOf).toList());
  }

  /**
   * First-k, then the static subset unless it is first-k, then up to {@code random} random masks
   * distinct from each other and from those two; fewer where fewer k-subsets remain.
   *
   * @param staticMask the model's static subset for k, or null where it has none
   */
  static List<Candidate> of(int layers, int keep, int random, long seed, boolean[] staticMask) {
    Budget budget = Budget.of(keep, layers);
    SelectionInput one = SelectionInput.ofBatchSize(1);
    boolean[] firstK = new FirstLayersPolicy().select(one, budget).mask(0);
    List<Candidate> candidates = new ArrayList<>();
    Set<String> taken = new HashSet<>();
    if (staticMask != null && Arrays.equals(staticMask, firstK)) {
      candidates.add(new Candidate(List.of(FIRST_K, STATIC), firstK));
    } else {
      candidates.add(new Candidate(List.of(FIRST_K), firstK));
      if (staticMask != null) {
        candidates.add(new Candidate(List.of(STATIC), staticMask));
      }
    }
    candidates.forEach(c -> taken.add(Arrays.toString(c.mask())));
    long available = subsets(layers, keep) - candidates.size();
    int wanted = (int) Math.min(random, available);
    RandomLayersPolicy draws = new RandomLayersPolicy(seed * 1_000_003L + keep);
    for (int drawn = 0; drawn < wanted; ) {
      boolean[] mask = draws.select(one, budget).mask(0);
      if (taken.add(Arrays.toString(mask))) {
        candidates.add(new Candidate(List.of(RANDOM), mask));
        drawn++;
      }
    }
    return candidates;
  }

  /** L choose k, exact while it fits a long (always, for any real layer count). */
  static long subsets(int layers, int keep) {
    long n = 1;
    for (int i = 1; i <= keep; i++) {
      n = n * (layers - keep + i) / i;
    }
    return n;
  }
}
