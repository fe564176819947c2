package dev.icld.selection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.icld.model.LayerMask;
import dev.icld.model.Torch;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PoliciesTest {
  private static final SelectionInput BATCH = SelectionInput.ofBatchSize(50);

  @Test
  void fullRunsEveryLayerAndReadsTheLastOne() {
    Selection s = new FullDepthPolicy().select(BATCH, Budget.of(3, 12));
    for (int b = 0; b < s.batchSize(); b++) {
      assertEquals(12, s.keptLayers(b));
      assertEquals(12, s.exit(b));
    }
    assertEquals(12, s.layerMask().executedCount());
  }

  @Test
  void randomKeepsExactlyKFreshPerUtteranceAndRepeatsWithTheSeed() {
    Budget budget = Budget.of(4, 12);
    Selection first = new RandomLayersPolicy(7).select(BATCH, budget);
    Selection again = new RandomLayersPolicy(7).select(BATCH, budget);
    Selection other = new RandomLayersPolicy(8).select(BATCH, budget);
    Set<String> distinct = new HashSet<>();
    int[] timesKept = new int[12];
    boolean differsFromOtherSeed = false;
    for (int b = 0; b < BATCH.batchSize(); b++) {
      assertEquals(4, first.keptLayers(b));
      assertEquals(12, first.exit(b));
      assertArrayEquals(first.mask(b), again.mask(b));
      differsFromOtherSeed |= !Arrays.equals(first.mask(b), other.mask(b));
      distinct.add(Arrays.toString(first.mask(b)));
      for (int i = 0; i < 12; i++) {
        timesKept[i] += first.mask(b)[i] ? 1 : 0;
      }
    }
    assertTrue(differsFromOtherSeed);
    assertTrue(distinct.size() > 40, "fresh draws per utterance, got " + distinct.size() + " distinct");
    for (int i = 0; i < 12; i++) {
      assertTrue(timesKept[i] > 0, "layer " + i + " never drawn");
    }
  }

  @Test
  void randomDrawsContinueAcrossBatches() {
    RandomLayersPolicy policy = new RandomLayersPolicy(3);
    Selection a = policy.select(SelectionInput.ofBatchSize(1), Budget.of(6, 12));
    Selection b = policy.select(SelectionInput.ofBatchSize(1), Budget.of(6, 12));
    Selection both = new RandomLayersPolicy(3).select(SelectionInput.ofBatchSize(2), Budget.of(6, 12));
    assertArrayEquals(a.mask(0), both.mask(0));
    assertArrayEquals(b.mask(0), both.mask(1));
  }

  @Test
  void aWorkerThatSkipsUtterancesDrawsWhatOneProcessDraws() {
    Budget budget = Budget.of(4, 12);
    Selection all = new RandomLayersPolicy(11).select(SelectionInput.ofBatchSize(9), budget);
    RandomLayersPolicy worker = new RandomLayersPolicy(11);
    worker.skip(5, budget);
    Selection sixth = worker.select(SelectionInput.ofBatchSize(1), budget);
    worker.skip(2, budget);
    Selection ninth = worker.select(SelectionInput.ofBatchSize(1), budget);
    assertArrayEquals(all.mask(5), sixth.mask(0));
    assertArrayEquals(all.mask(8), ninth.mask(0));
  }

  @Test
  void earlyExitKeepsThePrefixAndReadsExitK() {
    Selection s = new EarlyExitPolicy().select(SelectionInput.ofBatchSize(3), Budget.of(5, 12));
    for (int b = 0; b < 3; b++) {
      boolean[] mask = s.mask(b);
      for (int i = 0; i < 12; i++) {
        assertEquals(i < 5, mask[i], "layer " + i);
      }
      assertEquals(5, s.exit(b));
    }
  }

  @Test
  void dynamicExitStopsEachUtteranceAtItsFirstConfidentExit() {
    // Threshold 0.5: the first utterance is confident after layer 2, the second never.
    DynamicExitPolicy policy = new DynamicExitPolicy(Map.of(2, new EntropyExit(0.5, 4)));
    assertEquals(Set.of(SelectionInput.Part.EXIT_ENTROPIES), policy.reads());
    SelectionInput input = SelectionInput.ofBatchSize(2).withExitEntropies(new double[][] {
        {0.9, 0.3, 0.1, 0.1}, {0.9, 0.8, 0.7, 0.6}});
    Selection s = policy.select(input, Budget.of(2, 4));
    assertArrayEquals(new boolean[] {true, true, false, false}, s.mask(0));
    assertEquals(2, s.exit(0));
    assertArrayEquals(new boolean[] {true, true, true, true}, s.mask(1));
    assertEquals(4, s.exit(1));
    assertThrows(IllegalArgumentException.class, () -> policy.select(input, Budget.of(3, 4)),
        "no threshold calibrated for k = 3");
    assertThrows(IllegalStateException.class,
        () -> policy.select(SelectionInput.ofBatchSize(2), Budget.of(2, 4)), "no entropies");
  }

  @Test
  void groupsGatherUtterancesThatShareAMask() {
    boolean[] a = {true, false, true};
    boolean[] b = {false, true, true};
    Selection s = Selection.ofMasks(new boolean[][] {a, b, a, a, b});
    List<SelectionGroup> groups = s.groups();
    assertEquals(2, groups.size());
    assertArrayEquals(new int[] {0, 2, 3}, groups.get(0).utterances());
    assertArrayEquals(new int[] {1, 4}, groups.get(1).utterances());
    LayerMask mask = groups.get(1).layerMask();
    assertFalse(mask.executes(0));
    assertTrue(mask.executes(1));
    assertEquals(2, mask.executedCount());
    assertEquals(2.0, s.meanKeptLayers(), 1e-12);
    IllegalStateException mixed = assertThrows(IllegalStateException.class, s::layerMask);
    assertTrue(mixed.getMessage().contains("2 different layer masks"), mixed.getMessage());
  }

  @Test
  void gatesCarryEachUtterancesMaskForTraining() {
    Selection s = Selection.ofMasks(new boolean[][] {{true, false, true}, {false, false, true}});
    try (NDManager manager = Torch.newManager()) {
      NDArray gates = s.gates(manager);
      assertArrayEquals(new long[] {2, 3}, gates.getShape().getShape());
      assertArrayEquals(new float[] {1, 0, 1, 0, 0, 1}, gates.toFloatArray());
      LayerMask gated = s.gatedLayerMask(manager);
      assertArrayEquals(new boolean[] {true, false, true}, gated.executed());
    }
  }

  @Test
  void staticPolicyUsesTheSubsetForK() {
    StaticSubsets subsets = StaticSubsetSearch.greedyDrop(4, mask -> mask[2] ? 1 : 0);
    Selection s = new StaticSubsetPolicy(subsets).select(SelectionInput.ofBatchSize(2), Budget.of(1, 4));
    assertArrayEquals(new boolean[] {false, false, true, false}, s.mask(0));
    assertArrayEquals(s.mask(0), s.mask(1));
    IllegalArgumentException wrongModel = assertThrows(IllegalArgumentException.class,
        () -> new StaticSubsetPolicy(subsets).select(BATCH, Budget.of(2, 12)));
    assertTrue(wrongModel.getMessage().contains("12-layer model"), wrongModel.getMessage());
  }

  @Test
  void malformedSelectionsAreRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> new Selection(new boolean[][] {{true, true}}, new int[] {3}));
    assertThrows(IllegalArgumentException.class,
        () -> new Selection(new boolean[][] {{true, true}, {true}}, new int[] {2, 1}));
    assertThrows(IllegalArgumentException.class, () -> SelectionInput.ofBatchSize(0));
  }
}
