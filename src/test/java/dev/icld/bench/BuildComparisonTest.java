package dev.icld.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BuildComparisonTest {
  @Test
  void slowerNeedsBothTheMediansAndTheMinimaAboveTheMargin() {
    BuildComparison.Row noisy = new BuildComparison.Row("small", 1, "DJL total 12/12", 1.3, 0.98);
    BuildComparison.Row slower = new BuildComparison.Row("small", 1, "DJL total 6/12", 1.2, 1.1);
    assertFalse(noisy.slower());
    assertTrue(slower.slower());
    String none = BuildComparison.markdown(new BuildComparison.Result("old.jar", 3, List.of(noisy)));
    assertTrue(none.contains("No budget got slower"), none);
    assertTrue(none.contains("| small | 1 s | DJL total 12/12 | 1.30 | 0.98 | no |"), none);
    String some = BuildComparison.markdown(
        new BuildComparison.Result("old.jar", 3, List.of(noisy, slower)));
    assertTrue(some.contains("Slower: small 1 s DJL total 6/12."), some);
  }
}
