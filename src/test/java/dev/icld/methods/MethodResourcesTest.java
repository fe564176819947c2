package dev.icld.methods;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.icld.selection.LayerSelector;
import dev.icld.selection.SelectorConfig;
import dev.icld.selection.SelectorInputKind;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A selector and its copied weights travel together, or neither does. */
class MethodResourcesTest {
  @Test
  void aSelectorWithoutItsWeightsOrWeightsWithoutASelectorIsRefused() {
    try (LayerSelector selector = LayerSelector.initialise(
        SelectorConfig.of(SelectorInputKind.FEATURES, 4, 3), 1)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> new MethodResources(selector, null, null, Map.of()));
      assertTrue(e.getMessage().contains("selector.weights()"), e.getMessage());
      assertThrows(IllegalArgumentException.class,
          () -> new MethodResources(null, selector.weights(), null, Map.of()));
      assertTrue(new MethodResources(selector, null, Map.of()).selectorWeights() != null);
      assertNull(new MethodResources(null, null, Map.of()).selectorWeights());
    }
  }
}
