package dev.icld.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.icld.train.TinySetup;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeadlineExperimentTest {
  @Test
  void reportsEveryBudgetInEveryLoadPhase() {
    try (DynamicSpeechModel model = DeadlineExperiment.randomModel(TinySetup.config(4), 1)) {
      DeadlineExperiment.Report report =
          DeadlineExperiment.run(model, new DeadlineExperiment.Options(8, 0.2, 0.8, 0, 2, 1));
      List<DeadlineExperiment.Row> rows = report.rows();
      assertEquals(9, rows.size());
      assertEquals(List.of("off", "on", "all"), rows.subList(0, 3).stream().map(r -> r.load()).toList());
      for (DeadlineExperiment.Row r : rows) {
        assertEquals(r.load().equals("all") ? 8 : 4, r.calls());
        assertTrue(r.metShare() >= 0 && r.metShare() <= 1);
        assertTrue(r.meanLayers() >= 1 && r.meanLayers() <= 4);
      }
      assertEquals(4, rows.get(3).meanLayers());
      assertEquals(1, rows.get(5).agreement(), "full depth agrees with itself");
      assertEquals(2, rows.get(8).meanLayers());
      assertTrue(report.table().contains("full (4)"), report.table());
    }
  }
}
