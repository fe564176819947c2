package dev.icld.selection;

import java.util.Arrays;
import java.util.Comparator;

/** Hard top-k masks of score rows; ties go to the lower layer index so results are deterministic. */
final class TopK {
  private TopK() {}

  /**
   * @param scores [rows * columns], row-major
   * @param keep per row, how many columns to keep (1..columns)
   */
  static boolean[][] masks(float[] scores, int rows, int columns, int[] keep) {
    boolean[][] masks = new boolean[rows][columns];
    for (int r = 0; r < rows; r++) {
      if (keep[r] < 1 || keep[r] > columns) {
        throw new IllegalArgumentException(
            "budget must keep between 1 and " + columns + " layers, got " + keep[r]);
      }
      int row = r;
      Integer[] order = new Integer[columns];
      for (int c = 0; c < columns; c++) {
        order[c] = c;
      }
      Arrays.sort(order, Comparator.<Integer>comparingDouble(c -> -scores[row * columns + c])
          .thenComparingInt(c -> c));
      for (int i = 0; i < keep[r]; i++) {
        masks[r][order[i]] = true;
      }
    }
    return masks;
  }
}
