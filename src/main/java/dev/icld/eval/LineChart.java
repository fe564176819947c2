package dev.icld.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A plain line chart drawn with java.awt (headless): axes with round-number ticks, one coloured
 * line with point markers per series, optional vertical error bars, a legend beside the plot.
 */
final class LineChart {
  static final int WIDTH = 1000;
  static final int HEIGHT = 600;
  private static final int LEFT = 90;
  private static final int RIGHT = 790;
  private static final int TOP = 60;
  private static final int BOTTOM = 530;

  /**
   * @param yError half-lengths of error bars, or null
   * @param dashed a reference line rather than a measured series
   */
  record Series(String name, Color color, double[] x, double[] y, double[] yError, boolean dashed) {}

  private LineChart() {}

  static BufferedImage draw(String title, String xLabel, String yLabel, List<Series> series) {
    return draw(title, xLabel, yLabel, series, null);
  }

  /** @param xTicks where to put the x ticks (whole budgets, say), or null for round numbers */
  static BufferedImage draw(String title, String xLabel, String yLabel, List<Series> series,
      double[] xTicks) {
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
          RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, WIDTH, HEIGHT);
      double[] xRange = range(series, true);
      double[] yRange = range(series, false);
      double[] yTicks = ticks(yRange[0], yRange[1]);
      if (xTicks == null) {
        xTicks = ticks(xRange[0], xRange[1]);
        xRange = new double[] {Math.min(xRange[0], xTicks[0]),
            Math.max(xRange[1], xTicks[xTicks.length - 1])};
      } else {
        double[] sorted = xTicks.clone();
        Arrays.sort(sorted);
        double pad = Math.max(0.5, (sorted[sorted.length - 1] - sorted[0]) * 0.03);
        xRange = new double[] {Math.min(xRange[0], sorted[0]) - pad,
            Math.max(xRange[1], sorted[sorted.length - 1]) + pad};
      }
      yRange = new double[] {Math.min(yRange[0], yTicks[0]), Math.max(yRange[1], yTicks[yTicks.length - 1])};
      Axis x = new Axis(xRange[0], xRange[1], LEFT, RIGHT);
      Axis y = new Axis(yRange[0], yRange[1], BOTTOM, TOP);

      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
      FontMetrics fm = g.getFontMetrics();
      for (double t : yTicks) {
        int py = y.pixel(t);
        g.setColor(new Color(230, 230, 230));
        g.drawLine(LEFT, py, RIGHT, py);
        g.setColor(Color.BLACK);
        g.drawLine(LEFT - 5, py, LEFT, py);
        String label = format(t, yTicks);
        g.drawString(label, LEFT - 8 - fm.stringWidth(label), py + fm.getAscent() / 2 - 1);
      }
      for (double t : xTicks) {
        int px = x.pixel(t);
        g.setColor(new Color(230, 230, 230));
        g.drawLine(px, TOP, px, BOTTOM);
        g.setColor(Color.BLACK);
        g.drawLine(px, BOTTOM, px, BOTTOM + 5);
        String label = format(t, xTicks);
        g.drawString(label, px - fm.stringWidth(label) / 2, BOTTOM + 8 + fm.getAscent());
      }
      g.setColor(Color.BLACK);
      g.drawRect(LEFT, TOP, RIGHT - LEFT, BOTTOM - TOP);

      Stroke solid = new BasicStroke(2f);
      Stroke dashed = new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
          new float[] {8f, 6f}, 0f);
      for (Series s : series) {
        g.setColor(s.color());
        g.setStroke(s.dashed() ? dashed : solid);
        Integer[] order = sortedByX(s.x());
        for (int i = 1; i < order.length; i++) {
          g.drawLine(x.pixel(s.x()[order[i - 1]]), y.pixel(s.y()[order[i - 1]]),
              x.pixel(s.x()[order[i]]), y.pixel(s.y()[order[i]]));
        }
        g.setStroke(new BasicStroke(1.5f));
        for (int i = 0; i < s.x().length; i++) {
          int px = x.pixel(s.x()[i]);
          int py = y.pixel(s.y()[i]);
          if (s.yError() != null && s.yError()[i] > 0) {
            int top = y.pixel(s.y()[i] + s.yError()[i]);
            int bottom = y.pixel(s.y()[i] - s.yError()[i]);
            g.drawLine(px, top, px, bottom);
            g.drawLine(px - 4, top, px + 4, top);
            g.drawLine(px - 4, bottom, px + 4, bottom);
          }
          if (!s.dashed() || s.x().length == 1) {
            g.fillOval(px - 4, py - 4, 9, 9);
          }
        }
      }

      g.setStroke(new BasicStroke(1f));
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
      FontMetrics titleMetrics = g.getFontMetrics();
      g.drawString(title, (LEFT + RIGHT - titleMetrics.stringWidth(title)) / 2, TOP - 22);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
      FontMetrics labelMetrics = g.getFontMetrics();
      g.drawString(xLabel, (LEFT + RIGHT - labelMetrics.stringWidth(xLabel)) / 2, HEIGHT - 25);
      AffineTransform saved = g.getTransform();
      g.rotate(-Math.PI / 2);
      g.drawString(yLabel, -(TOP + BOTTOM + labelMetrics.stringWidth(yLabel)) / 2, 25);
      g.setTransform(saved);

      int ly = TOP + 10;
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
      for (Series s : series) {
        g.setColor(s.color());
        g.setStroke(s.dashed() ? dashed : solid);
        g.drawLine(RIGHT + 20, ly, RIGHT + 50, ly);
        g.fillOval(RIGHT + 31, ly - 4, 9, 9);
        g.setColor(Color.BLACK);
        g.drawString(s.name(), RIGHT + 58, ly + 5);
        ly += 24;
      }
    } finally {
      g.dispose();
    }
    return image;
  }

  /** Maps data values to pixels along one axis. */
  private record Axis(double min, double max, int from, int to) {
    int pixel(double value) {
      double span = max - min;
      return (int) Math.round(from + (value - min) / span * (to - from));
    }
  }

  /** The data range over every series (error bars included for y), padded, never empty. */
  private static double[] range(List<Series> series, boolean xAxis) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (Series s : series) {
      double[] values = xAxis ? s.x() : s.y();
      for (int i = 0; i < values.length; i++) {
        double error = !xAxis && s.yError() != null ? s.yError()[i] : 0;
        if (Double.isFinite(values[i])) {
          min = Math.min(min, values[i] - error);
          max = Math.max(max, values[i] + error);
        }
      }
    }
    if (!Double.isFinite(min)) {
      return new double[] {0, 1};
    }
    double pad = (max - min) * 0.05;
    if (pad == 0) {
      pad = Math.max(Math.abs(max) * 0.05, 0.05);
    }
    return new double[] {min - pad, max + pad};
  }

  /** About five to ten round-number ticks (steps of 1, 2 or 5 times a power of ten). */
  static double[] ticks(double min, double max) {
    double raw = (max - min) / 6;
    double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
    double step = magnitude;
    for (double m : new double[] {1, 2, 5, 10}) {
      if (m * magnitude >= raw) {
        step = m * magnitude;
        break;
      }
    }
    List<Double> ticks = new ArrayList<>();
    for (double t = Math.floor(min / step) * step; t <= max + step * 1e-9; t += step) {
      ticks.add(Math.abs(t) < step * 1e-9 ? 0 : t);
    }
    if (ticks.get(ticks.size() - 1) < max) {
      ticks.add(ticks.get(ticks.size() - 1) + step);
    }
    return ticks.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** Tick labels with as many decimals as the step needs. */
  private static String format(double value, double[] ticks) {
    double step = ticks.length > 1 ? ticks[1] - ticks[0] : 1;
    int decimals = Math.max(0, (int) Math.ceil(-Math.log10(step) - 1e-9));
    return String.format("%." + decimals + "f", value);
  }

  private static Integer[] sortedByX(double[] x) {
    Integer[] order = new Integer[x.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(x[a], x[b]));
    return order;
  }
}
