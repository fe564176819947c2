package dev.icld.selection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TopKTest {
  @Test
  void keepsTheHighestScoresWithTiesToTheLowerColumn() {
    float[] scores = {
        1, 3, 3, 2,
        5, 5, 5, 5,
        Float.NaN, 1, 0, -1,
        -0f, 0f, -2, -3};
    boolean[][] masks = TopK.masks(scores, 4, 4, new int[] {2, 2, 2, 1});
    assertArrayEquals(new boolean[] {false, true, true, false}, masks[0]);
    assertArrayEquals(new boolean[] {true, true, false, false}, masks[1]);
    assertArrayEquals(new boolean[] {false, true, true, false}, masks[2], "NaN ranks lowest");
    assertArrayEquals(new boolean[] {false, true, false, false}, masks[3], "0 ranks above -0");
  }

  @Test
  void refusesABudgetOutsideTheColumns() {
    assertThrows(IllegalArgumentException.class, () -> TopK.masks(new float[3], 1, 3, new int[] {0}));
    assertThrows(IllegalArgumentException.class, () -> TopK.masks(new float[3], 1, 3, new int[] {4}));
  }
}
