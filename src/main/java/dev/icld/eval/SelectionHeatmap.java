package dev.icld.eval;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.style.HeatMapStyler;
import org.knowm.xchart.style.Styler;

/**
 * How often each layer was selected, per group of utterances (class or length bucket): one XChart
 * heat map per budget side by side under a common title, white is never, blue is always, with the
 * percentage in each cell and the colour scale beside the last panel.
 */
final class SelectionHeatmap {
  static final int CELL = 30;
  /** The common title above the panels (XChart draws one title per chart). */
  private static final int TITLE = 40;
  /** The group names left of the first panel. */
  private static final int LABELS = 110;
  /** Each panel's own title, axis labels and padding around its cells. */
  private static final int PANEL_MARGIN_X = 40;
  private static final int PANEL_MARGIN_Y = 100;
  /** The colour scale right of the last panel. */
  private static final int SCALE = 90;
  // Mid blue rather than navy: XChart writes every cell's value in one colour, dark here.
  private static final Color NEVER = Color.WHITE;
  private static final Color ALWAYS = new Color(70, 130, 200);

  /** @param frequencies [groups][L] in [0, 1] */
  record Panel(int budget, double[][] frequencies) {}

  private SelectionHeatmap() {}

  static int width(int panels, int layers) {
    return LABELS + panels * (layers * CELL + PANEL_MARGIN_X) + SCALE;
  }

  static int height(int groups) {
    return TITLE + rowsHigh(groups) * CELL + PANEL_MARGIN_Y;
  }

  /** Room for at least four rows, so that the colour scale fits beside a few groups. */
  private static int rowsHigh(int groups) {
    return Math.max(groups, 4);
  }

  static BufferedImage draw(String title, List<String> groups, List<Panel> panels, int layers) {
    int width = width(panels.size(), layers);
    int height = height(groups.size());
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
          RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
      g.drawString(title, LABELS, TITLE - 12);
      int x = 0;
      for (int p = 0; p < panels.size(); p++) {
        boolean first = p == 0;
        boolean last = p == panels.size() - 1;
        int panelWidth = layers * CELL + PANEL_MARGIN_X + (first ? LABELS : 0) + (last ? SCALE : 0);
        int panelHeight = height - TITLE;
        Graphics2D panel = (Graphics2D) g.create(x, TITLE, panelWidth, panelHeight);
        try {
          chart(panels.get(p), groups, layers, panelWidth, panelHeight, first, last)
              .paint(panel, panelWidth, panelHeight);
        } finally {
          panel.dispose();
        }
        x += panelWidth;
      }
    } finally {
      g.dispose();
    }
    return image;
  }

  private static HeatMapChart chart(Panel panel, List<String> groups, int layers, int width,
      int height, boolean groupNames, boolean scale) {
    HeatMapChart chart = new HeatMapChartBuilder().width(width).height(height)
        .title("k = " + panel.budget()).xAxisTitle("layer").build();
    HeatMapStyler styler = chart.getStyler();
    styler.setChartBackgroundColor(Color.WHITE).setPlotBackgroundColor(Color.WHITE)
        .setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 14))
        .setChartTitleBoxVisible(false).setPlotBorderVisible(false)
        .setLegendVisible(scale).setLegendBorderColor(Color.WHITE)
        .setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    styler.setLegendPosition(Styler.LegendPosition.OutsideE);
    styler.setRangeColors(new Color[] {NEVER, ALWAYS}).setMin(0).setMax(100)
        .setShowValue(true).setHeatMapValueDecimalPattern("0")
        .setValueFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10))
        .setValueFontColor(new Color(30, 30, 30));
    styler.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13))
        .setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12))
        .setYAxisTicksVisible(groupNames).setPlotGridLinesVisible(false)
        .setPlotTicksMarksVisible(false);
    styler.setGradientColorColumnHeight(rowsHigh(groups.size()) * CELL - 40);
    List<Integer> layerNumbers = new ArrayList<>();
    for (int i = 1; i <= layers; i++) {
      layerNumbers.add(i);
    }
    // Heat maps count rows from the bottom; the first group goes on top, as in the tables.
    List<String> rows = new ArrayList<>(groups);
    Collections.reverse(rows);
    List<Number[]> cells = new ArrayList<>();
    for (int r = 0; r < groups.size(); r++) {
      for (int i = 0; i < layers; i++) {
        cells.add(new Number[] {i, groups.size() - 1 - r,
            Math.round(100 * panel.frequencies()[r][i])});
      }
    }
    chart.addSeries("selected (%)", layerNumbers, rows, cells);
    return chart;
  }
}
