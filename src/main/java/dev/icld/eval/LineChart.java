package dev.icld.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A line chart on XChart: one coloured line with point markers per series, optional vertical
 * error bars, the legend beside the plot.
 */
final class LineChart {
  static final int WIDTH = 1000;
  static final int HEIGHT = 600;
  /** About the width of one tick step on the budget axis, so that every whole budget gets one. */
  private static final int BUDGET_TICK_SPACING = 40;

  /**
   * @param yError half-lengths of error bars, or null
   * @param dashed a reference line rather than a measured series
   */
  record Series(String name, Color color, double[] x, double[] y, double[] yError, boolean dashed) {}

  private LineChart() {}

  static BufferedImage draw(String title, String xLabel, String yLabel, List<Series> series) {
    return draw(title, xLabel, yLabel, series, null);
  }

  /**
   * @param budgets the whole budgets the x axis spans, or null for a continuous axis (latency):
   *     with them the axis covers all of them, a little padded, with integer ticks
   */
  static BufferedImage draw(String title, String xLabel, String yLabel, List<Series> series,
      double[] budgets) {
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
        .xAxisTitle(xLabel).yAxisTitle(yLabel).build();
    style(chart.getStyler());
    if (budgets != null && budgets.length > 0) {
      double first = Arrays.stream(budgets).min().getAsDouble();
      double last = Arrays.stream(budgets).max().getAsDouble();
      double pad = Math.max(0.5, (last - first) * 0.03);
      chart.getStyler().setXAxisMin(first - pad).setXAxisMax(last + pad)
          .setXAxisTickMarkSpacingHint(BUDGET_TICK_SPACING).setXAxisDecimalPattern("0");
    }
    for (Series s : series) {
      add(chart, s);
    }
    return BitmapEncoder.getBufferedImage(chart);
  }

  private static void style(XYStyler styler) {
    styler.setChartBackgroundColor(Color.WHITE).setPlotBackgroundColor(Color.WHITE)
        .setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16))
        .setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13))
        .setLegendPosition(Styler.LegendPosition.OutsideE)
        .setLegendBorderColor(Color.WHITE);
    styler.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14))
        .setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13))
        .setPlotGridLinesColor(new Color(225, 225, 225))
        .setPlotBorderColor(Color.BLACK);
    styler.setErrorBarsColorSeriesColor(true);
    styler.setMarkerSize(9);
  }

  private static void add(XYChart chart, Series s) {
    // Points joined in x order: latency does not grow with the budget everywhere.
    Integer[] order = new Integer[s.x().length];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, (a, b) -> Double.compare(s.x()[a], s.x()[b]));
    double[] x = Arrays.stream(order).mapToDouble(i -> s.x()[i]).toArray();
    double[] y = Arrays.stream(order).mapToDouble(i -> s.y()[i]).toArray();
    boolean bars = s.yError() != null && Arrays.stream(s.yError()).anyMatch(e -> e > 0);
    XYSeries added = bars
        ? chart.addSeries(s.name(), x, y, Arrays.stream(order).mapToDouble(i -> s.yError()[i]).toArray())
        : chart.addSeries(s.name(), x, y);
    added.setLineColor(s.color());
    added.setMarkerColor(s.color());
    if (s.dashed()) {
      added.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
          new float[] {8f, 6f}, 0f));
      // A level, not measurements along it; a lone point still needs its marker to be seen.
      added.setMarker(x.length == 1 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
    } else {
      added.setLineStyle(SeriesLines.SOLID);
      added.setLineWidth(2f);
      added.setMarker(SeriesMarkers.CIRCLE);
    }
  }
}
