package dev.icld.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.icld.methods.Methods;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportChartsTest {
  @Test
  void aLineChartDrawsEachSeriesInItsMethodsColour() {
    Color selector = Methods.SELECTOR.colour();
    Color full = Methods.FULL.colour();
    BufferedImage image = LineChart.draw("kws: accuracy versus budget", "budget k (layers kept of 4)",
        "accuracy", List.of(
            new LineChart.Series("full (k = 4)", full, new double[] {1, 4},
                new double[] {0.9, 0.9}, null, true),
            new LineChart.Series("selector", selector, new double[] {3, 1, 2},
                new double[] {0.8, 0.4, 0.6}, new double[] {0.05, 0.05, 0.05}, false)),
        new double[] {1, 2, 3, 4});
    assertEquals(LineChart.WIDTH, image.getWidth());
    assertEquals(LineChart.HEIGHT, image.getHeight());
    // The selector's line climbs across most of the plot: far more than its three markers.
    assertTrue(pixels(image, selector) > 3 * 81 + 300, "selector pixels: " + pixels(image, selector));
    assertTrue(pixels(image, full) > 100, "full pixels: " + pixels(image, full));
  }

  @Test
  void aLonePointIsStillDrawn() {
    Color colour = ScratchCnnBaseline.COLOUR;
    BufferedImage image = LineChart.draw("latency", "latency p50 per utterance (ms)", "accuracy",
        List.of(new LineChart.Series("scratch-cnn", colour, new double[] {2.5},
            new double[] {0.7}, null, false)));
    assertTrue(pixels(image, colour) > 40, "marker pixels: " + pixels(image, colour));
  }

  @Test
  void theHeatmapShadesEachCellByHowOftenItsLayerRan() {
    Color always = new Color(70, 130, 200);
    long never = pixels(heatmap(new double[][] {{0, 0, 0}, {0, 0, 0}}), always);
    long oneCell = pixels(heatmap(new double[][] {{1, 0, 0}, {0, 0, 0}}), always) - never;
    long threeCells = pixels(heatmap(new double[][] {{1, 1, 0}, {0, 0, 1}}), always) - never;
    assertTrue(oneCell > SelectionHeatmap.CELL * SelectionHeatmap.CELL / 2, "one cell: " + oneCell);
    // Every cell at 100% is as large as the others (less its value, written inside it).
    assertEquals(3 * oneCell, threeCells, 0.1 * threeCells);
    BufferedImage image = heatmap(new double[][] {{1, 0, 0}, {0, 0, 0}});
    assertEquals(SelectionHeatmap.width(1, 3), image.getWidth());
    assertEquals(SelectionHeatmap.height(2), image.getHeight());
  }

  private static BufferedImage heatmap(double[][] frequencies) {
    return SelectionHeatmap.draw("selection", List.of("yes", "no"),
        List.of(new SelectionHeatmap.Panel(2, frequencies)), 3);
  }

  @Test
  void panelsSitSideBySide() {
    double[][] f = {{1, 0.5}};
    BufferedImage image = SelectionHeatmap.draw("selection", List.of("short"),
        List.of(new SelectionHeatmap.Panel(2, f), new SelectionHeatmap.Panel(1, f)), 2);
    assertEquals(SelectionHeatmap.width(2, 2), image.getWidth());
    Color always = new Color(70, 130, 200);
    int half = image.getWidth() / 2;
    assertTrue(pixels(image.getSubimage(0, 0, half, image.getHeight()), always) > 0);
    assertTrue(pixels(image.getSubimage(half, 0, half, image.getHeight()), always) > 0);
  }

  private static long pixels(BufferedImage image, Color colour) {
    long n = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        if ((image.getRGB(x, y) & 0xFFFFFF) == (colour.getRGB() & 0xFFFFFF)) {
          n++;
        }
      }
    }
    return n;
  }
}
