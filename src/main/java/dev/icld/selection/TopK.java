package dev.icld.selection;

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
      // Picks the best column left, keep times: with a handful of layers this is as fast as a
      // sort and, unlike sorting boxed indices with a comparator, costs little when its code has
      // gone cold between calls (the selector's timed path).
      int row = r * columns;
      for (int picked = 0; picked < keep[r]; picked++) {
        int best = -1;
        for (int c = 0; c < columns; c++) {
          if (!masks[r][c] && (best < 0 || ranksHigher(scores[row + c], scores[row + best]))) {
            best = c;
          }
        }
        masks[r][best] = true;
      }
    }
    return masks;
  }

  /**
   * Whether a score ranks above another that belongs to a lower column: strictly higher, in the
   * order of {@link Double#compare} (NaN lowest, 0 above -0), so that ties go to the lower column.
   */
  private static boolean ranksHigher(float score, float other) {
    return Double.compare(-score, -other) < 0;
  }
}
