package dev.icld.metrics;

import java.util.List;

/**
 * Word and character error rates, corpus-level: the edits of all utterances divided by the
 * reference length of all utterances (not the mean of per-utterance rates, which over-weights
 * short utterances).
 */
public final class ErrorRates {
  /** Edit counts over a corpus; rate = (substitutions + deletions + insertions) / reference length. */
  public record Counts(long substitutions, long deletions, long insertions, long referenceLength) {
    public long edits() {
      return substitutions + deletions + insertions;
    }

    /** Error rate; an empty reference with no hypothesis is 0, with insertions it is infinite. */
    public double rate() {
      if (referenceLength == 0) {
        return edits() == 0 ? 0 : Double.POSITIVE_INFINITY;
      }
      return edits() / (double) referenceLength;
    }

    Counts plus(Counts o) {
      return new Counts(substitutions + o.substitutions, deletions + o.deletions,
          insertions + o.insertions, referenceLength + o.referenceLength);
    }
  }

  private ErrorRates() {}

  public static Counts wordCounts(List<String> references, List<String> hypotheses) {
    return corpus(references, hypotheses, true);
  }

  public static Counts characterCounts(List<String> references, List<String> hypotheses) {
    return corpus(references, hypotheses, false);
  }

  public static double wer(List<String> references, List<String> hypotheses) {
    return wordCounts(references, hypotheses).rate();
  }

  public static double cer(List<String> references, List<String> hypotheses) {
    return characterCounts(references, hypotheses).rate();
  }

  private static Counts corpus(List<String> references, List<String> hypotheses, boolean words) {
    if (references.size() != hypotheses.size()) {
      throw new IllegalArgumentException(
          references.size() + " references but " + hypotheses.size() + " hypotheses");
    }
    Counts total = new Counts(0, 0, 0, 0);
    for (int i = 0; i < references.size(); i++) {
      total = total.plus(align(tokens(references.get(i), words), tokens(hypotheses.get(i), words)));
    }
    return total;
  }

  /** Words split on whitespace; characters of the whitespace-normalised text, spaces included. */
  static String[] tokens(String text, boolean words) {
    String normal = text.strip().replaceAll("\\s+", " ");
    if (normal.isEmpty()) {
      return new String[0];
    }
    return words ? normal.split(" ") : normal.split("");
  }

  /** Levenshtein alignment; ties prefer substitutions, then deletions, then insertions. */
  static Counts align(String[] ref, String[] hyp) {
    int n = ref.length;
    int m = hyp.length;
    // cost[i][j] = edits to turn ref[0..i) into hyp[0..j); the op arrays remember the choice.
    int[][] cost = new int[n + 1][m + 1];
    byte[][] op = new byte[n + 1][m + 1];
    final byte match = 0;
    final byte sub = 1;
    final byte del = 2;
    final byte ins = 3;
    for (int i = 1; i <= n; i++) {
      cost[i][0] = i;
      op[i][0] = del;
    }
    for (int j = 1; j <= m; j++) {
      cost[0][j] = j;
      op[0][j] = ins;
    }
    for (int i = 1; i <= n; i++) {
      for (int j = 1; j <= m; j++) {
        boolean same = ref[i - 1].equals(hyp[j - 1]);
        int best = cost[i - 1][j - 1] + (same ? 0 : 1);
        byte choice = same ? match : sub;
        if (cost[i - 1][j] + 1 < best) {
          best = cost[i - 1][j] + 1;
          choice = del;
        }
        if (cost[i][j - 1] + 1 < best) {
          best = cost[i][j - 1] + 1;
          choice = ins;
        }
        cost[i][j] = best;
        op[i][j] = choice;
      }
    }
    long[] counts = new long[4];
    int i = n;
    int j = m;
    while (i > 0 || j > 0) {
      byte o = op[i][j];
      counts[o]++;
      if (o == match || o == sub) {
        i--;
        j--;
      } else if (o == del) {
        i--;
      } else {
        j--;
      }
    }
    return new Counts(counts[sub], counts[del], counts[ins], n);
  }
}
