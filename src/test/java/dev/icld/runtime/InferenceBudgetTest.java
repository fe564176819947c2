package dev.icld.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.icld.selection.Budget;
import org.junit.jupiter.api.Test;

class InferenceBudgetTest {
  @Test
  void parsesEveryForm() {
    assertEquals(Budget.of(6, 12), InferenceBudget.parse("6").resolve(12));
    assertEquals(Budget.of(6, 12), InferenceBudget.parse("0.5").resolve(12));
    assertEquals(Budget.of(12, 12), InferenceBudget.parse("1.0").resolve(12));
    assertEquals(Budget.adaptive(3, 12), InferenceBudget.parse("adaptive:0.25").resolve(12));
    assertEquals(40, InferenceBudget.parse("deadline:40ms").deadlineMillis());
    assertEquals(12.5, InferenceBudget.parse("DEADLINE:12.5").deadlineMillis());
    assertEquals(InferenceBudget.deadline(40), InferenceBudget.parse(" deadline:40ms "));
    assertEquals("adaptive:0.5", InferenceBudget.adaptive(0.5).toString());
  }

  @Test
  void refusesBudgetsOutOfRange() {
    assertEquals("budget 13 layers exceeds the model's 12 layers", assertThrows(
        IllegalArgumentException.class, () -> InferenceBudget.layers(13).resolve(12)).getMessage());
    assertEquals("a budget must keep at least 1 layer, got 0",
        assertThrows(IllegalArgumentException.class, () -> InferenceBudget.parse("0")).getMessage());
    assertEquals("a budget fraction must be in (0, 1], got 1.5",
        assertThrows(IllegalArgumentException.class, () -> InferenceBudget.parse("1.5")).getMessage());
    assertThrows(IllegalArgumentException.class, () -> InferenceBudget.parse("adaptive:0"));
    assertThrows(IllegalArgumentException.class, () -> InferenceBudget.parse("deadline:-3ms"));
    String message = assertThrows(IllegalArgumentException.class,
        () -> InferenceBudget.parse("fast")).getMessage();
    assertTrue(message.startsWith("budget \"fast\" is not one of"), message);
    assertThrows(IllegalStateException.class, () -> InferenceBudget.deadline(40).resolve(12));
  }
}
