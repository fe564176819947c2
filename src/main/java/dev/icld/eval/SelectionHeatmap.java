package dev.icld.eval;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * How often each layer was selected, per group of utterances (class or length bucket), one panel
 * per budget side by side: white is never, dark blue is always, with the percentage in each cell.
 */
final class SelectionHeatmap {
  static final int CELL = 30;
  private static final int LEFT = 150;
  private static final int TOP = 80;
  private static final int GAP = 40;
  private static final int LEGEND = 110;
  private static final int BOTTOM = 70;

  /**
   * @param budgets one panel per budget
   * @param frequencies per panel, [groups][L] in [0, 1]
   * @param groups the row names
   */
  record Panel(int budget, double[][] frequencies) {}

  private SelectionHeatmap() {}

  static int width(int panels, int layers) {
    return LEFT + panels * (layers * CELL + GAP) + LEGEND;
  }

  static int height(int groups) {
    return TOP + groups * CELL + BOTTOM;
  }

  static BufferedImage draw(String title, List<String> groups, List<Panel> panels, int layers) {
    int width = width(panels.size(), layers);
    int height = height(groups.size());
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
          RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
      g.drawString(title, LEFT, 28);
      Font small = new Font(Font.SANS_SERIF, Font.PLAIN, 10);
      Font normal = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
      g.setFont(normal);
      FontMetrics fm = g.getFontMetrics();
      for (int r = 0; r < groups.size(); r++) {
        String name = groups.get(r);
        g.drawString(name, LEFT - 8 - fm.stringWidth(name), TOP + r * CELL + CELL / 2 + fm.getAscent() / 2 - 1);
      }
      for (int p = 0; p < panels.size(); p++) {
        Panel panel = panels.get(p);
        int x0 = LEFT + p * (layers * CELL + GAP);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        String head = "k = " + panel.budget();
        g.drawString(head, x0 + (layers * CELL - g.getFontMetrics().stringWidth(head)) / 2, TOP - 22);
        for (int r = 0; r < groups.size(); r++) {
          for (int i = 0; i < layers; i++) {
            double f = panel.frequencies()[r][i];
            g.setColor(shade(f));
            g.fillRect(x0 + i * CELL, TOP + r * CELL, CELL, CELL);
            g.setColor(f > 0.55 ? Color.WHITE : Color.DARK_GRAY);
            g.setFont(small);
            String text = String.valueOf(Math.round(100 * f));
            FontMetrics sm = g.getFontMetrics();
            g.drawString(text, x0 + i * CELL + (CELL - sm.stringWidth(text)) / 2,
                TOP + r * CELL + CELL / 2 + sm.getAscent() / 2 - 1);
          }
        }
        g.setColor(Color.GRAY);
        g.drawRect(x0, TOP, layers * CELL, groups.size() * CELL);
        g.setColor(Color.BLACK);
        g.setFont(normal);
        for (int i = 0; i < layers; i++) {
          String label = String.valueOf(i + 1);
          g.drawString(label, x0 + i * CELL + (CELL - fm.stringWidth(label)) / 2,
              TOP + groups.size() * CELL + 4 + fm.getAscent());
        }
        String axis = "layer";
        g.drawString(axis, x0 + (layers * CELL - fm.stringWidth(axis)) / 2,
            TOP + groups.size() * CELL + 10 + 2 * fm.getAscent());
      }
      int lx = width - LEGEND + 30;
      int lh = Math.max(groups.size() * CELL, 100);
      for (int yy = 0; yy < lh; yy++) {
        g.setColor(shade(1 - yy / (double) (lh - 1)));
        g.drawLine(lx, TOP + yy, lx + 18, TOP + yy);
      }
      g.setColor(Color.BLACK);
      g.drawRect(lx, TOP, 18, lh);
      g.setFont(normal);
      g.drawString("100%", lx + 24, TOP + fm.getAscent());
      g.drawString("0%", lx + 24, TOP + lh);
      g.drawString("selected", lx - 10, TOP - 10);
    } finally {
      g.dispose();
    }
    return image;
  }

  /** White (0) to dark blue (1). */
  private static Color shade(double f) {
    double t = Math.max(0, Math.min(1, f));
    return new Color((int) Math.round(255 - t * (255 - 8)), (int) Math.round(255 - t * (255 - 48)),
        (int) Math.round(255 - t * (255 - 107)));
  }
}
