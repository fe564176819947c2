package dev.icld.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** Parses budget lists such as "12,9,6,3" or "1..12" (k layers to keep, each in 1..L). */
final class BudgetList {
  private BudgetList() {}

  /** The budgets in descending order, without repeats. */
  static List<Integer> parse(String text, int layers) {
    TreeSet<Integer> budgets = new TreeSet<>();
    for (String part : text.split(",")) {
      String p = part.trim();
      try {
        if (p.contains("..")) {
          String[] ends = p.split("\\.\\.", -1);
          int from = Integer.parseInt(ends[0].trim());
          int to = ends[1].isBlank() ? layers : Integer.parseInt(ends[1].trim());
          for (int k = Math.min(from, to); k <= Math.max(from, to); k++) {
            budgets.add(check(k, layers, text));
          }
        } else {
          budgets.add(check(Integer.parseInt(p), layers, text));
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--budgets \"" + text
            + "\": expected numbers of layers such as 12,9,6,3 or 1..12");
      }
    }
    List<Integer> descending = new ArrayList<>(budgets.descendingSet());
    if (descending.isEmpty()) {
      throw new IllegalArgumentException("--budgets \"" + text + "\" names no budget");
    }
    return descending;
  }

  private static int check(int k, int layers, String text) {
    if (k < 1 || k > layers) {
      throw new IllegalArgumentException("--budgets \"" + text + "\": budget " + k
          + " outside 1.." + layers + " (the model has " + layers + " layers)");
    }
    return k;
  }
}
