package dev.icld.selection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BudgetTest {
  @Test
  void fractionsAndDropRatesRoundToTheNearestLayerCount() {
    assertEquals(6, Budget.ofFraction(0.5, 12).keep());
    assertEquals(3, Budget.ofFraction(0.25, 12).keep());
    assertEquals(9, Budget.ofDropRate(0.25, 12).keep());
    assertEquals(1, Budget.ofFraction(0.01, 12).keep(), "at least one layer");
    assertEquals(0.5, Budget.of(6, 12).keptFraction(), 1e-12);
    assertEquals(0.75, Budget.of(3, 12).dropRate(), 1e-12);
    assertEquals(12, Budget.full(12).keep());
  }

  @Test
  void adaptiveBudgetsKeepTheirTarget() {
    Budget adaptive = Budget.adaptive(6, 12);
    assertTrue(adaptive.adaptive());
    assertFalse(adaptive.withAdaptive(false).adaptive());
    assertEquals("~6/12", adaptive.toString());
  }

  @Test
  void outOfRangeBudgetsAreRefusedWithTheRange() {
    IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> Budget.of(0, 12));
    assertEquals("budget must keep between 1 and 12 layers, got 0", zero.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Budget.of(13, 12));
    assertThrows(IllegalArgumentException.class, () -> Budget.ofFraction(1.5, 12));
    assertThrows(IllegalArgumentException.class, () -> Budget.ofDropRate(1.0, 12));
  }
}
