package dev.icld.selection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaticSubsetSearchTest {
  @TempDir Path temp;

  /** Each layer adds its own value: the best k-subset is the k most valuable layers. */
  private static final double[] VALUE = {0.3, 0.9, 0.1, 0.7, 0.5, 0.2};

  private static double additive(boolean[] mask) {
    double sum = 0;
    for (int i = 0; i < mask.length; i++) {
      sum += mask[i] ? VALUE[i] : 0;
    }
    return sum;
  }

  private static boolean[] bestK(int k) {
    Integer[] order = {0, 1, 2, 3, 4, 5};
    java.util.Arrays.sort(order, (a, b) -> Double.compare(VALUE[b], VALUE[a]));
    boolean[] mask = new boolean[VALUE.length];
    for (int i = 0; i < k; i++) {
      mask[order[i]] = true;
    }
    return mask;
  }

  @Test
  void greedyDropFindsTheKnownOptimumForEveryK() {
    AtomicInteger calls = new AtomicInteger();
    StaticSubsets subsets = StaticSubsetSearch.greedyDrop(6, mask -> {
      calls.incrementAndGet();
      return additive(mask);
    });
    for (int k = 1; k <= 6; k++) {
      assertArrayEquals(bestK(k), subsets.mask(k), "k = " + k);
      assertEquals(additive(bestK(k)), subsets.entry(k).score(), 1e-12);
    }
    assertEquals(1 + 6 + 5 + 4 + 3 + 2, calls.get(), "scorer calls");
    assertEquals("greedy-drop", subsets.search());
  }

  @Test
  void greedyGrowFindsItToo() {
    StaticSubsets subsets = StaticSubsetSearch.greedyGrow(6, StaticSubsetSearchTest::additive);
    for (int k = 1; k <= 6; k++) {
      assertArrayEquals(bestK(k), subsets.mask(k), "k = " + k);
    }
  }

  /**
   * Layers 0 and 1 only help together (an interaction greedy growth cannot see one layer at a
   * time); dropping from the full set keeps them.
   */
  @Test
  void dropAndGrowDifferWhereLayersOnlyHelpTogether() {
    ToDoubleFunction<boolean[]> pairScorer = m -> (m[0] && m[1] ? 1.0 : 0) + (m[2] ? 0.6 : 0);
    assertArrayEquals(new boolean[] {true, true, false},
        StaticSubsetSearch.greedyDrop(3, pairScorer).mask(2));
    assertArrayEquals(new boolean[] {true, false, true},
        StaticSubsetSearch.greedyGrow(3, pairScorer).mask(2));
  }

  @Test
  void tableRoundTripsBesideTheModel() throws IOException {
    StaticSubsets subsets = StaticSubsetSearch.greedyDrop(6, StaticSubsetSearchTest::additive);
    subsets.save(temp);
    StaticSubsets loaded = StaticSubsets.load(temp);
    assertEquals(6, loaded.layers());
    assertEquals("greedy-drop", loaded.search());
    for (int k = 1; k <= 6; k++) {
      assertArrayEquals(subsets.mask(k), loaded.mask(k));
      assertEquals(subsets.entry(k).score(), loaded.entry(k).score(), 0);
    }
    assertTrue(Files.readString(temp.resolve(StaticSubsets.FILE)).contains("\"layers\": ["));
  }

  @Test
  void missingOrBrokenTablesAreNamed() throws IOException {
    IOException missing = assertThrows(IOException.class, () -> StaticSubsets.load(temp));
    assertTrue(missing.getMessage().startsWith(temp + ": no static layer subsets"), missing.getMessage());
    Files.writeString(temp.resolve(StaticSubsets.FILE),
        "{\"layers\": 2, \"search\": \"greedy-drop\", \"subsets\": [{\"keep\": 1, \"layers\": [0, 1], \"score\": 1}]}");
    IOException broken = assertThrows(IOException.class, () -> StaticSubsets.load(temp));
    assertTrue(broken.getMessage().contains(StaticSubsets.FILE), broken.getMessage());
    assertTrue(broken.getMessage().contains("budget 1"), broken.getMessage());
  }

  @Test
  void budgetsOutsideTheTableAreRefused() {
    StaticSubsets subsets = StaticSubsetSearch.greedyDrop(3, m -> 0);
    assertThrows(IllegalArgumentException.class, () -> subsets.mask(0));
    assertThrows(IllegalArgumentException.class, () -> subsets.mask(4));
  }
}
