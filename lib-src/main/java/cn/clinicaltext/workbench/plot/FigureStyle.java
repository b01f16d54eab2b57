package cn.clinicaltext.workbench.plot;

import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;

import java.awt.Color;
import java.awt.Font;
import java.awt.GraphicsEnvironment;
import java.util.List;

/**
 * One look for every figure: a font with CJK glyphs, sizes readable when a figure is printed one paper column
 * wide, white background, light grid, and the Okabe-Ito colour-blind-safe palette.
 */
public final class FigureStyle {
    /** Preferred fonts, first found wins; WenQuanYi Micro Hei is Debian's fonts-wqy-microhei. */
    static final List<String> CJK_FONTS = List.of("WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Noto Sans CJK SC",
            "Noto Sans SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "SimHei");

    public static final Color[] PALETTE = {
            new Color(0x0072B2), new Color(0xE69F00), new Color(0x009E73), new Color(0xD55E00),
            new Color(0xCC79A7), new Color(0x56B4E9), new Color(0xF0E442), new Color(0x000000)};

    public static final int WIDTH = 560;
    public static final int HEIGHT = 360;

    private static volatile String fontFamily;

    private FigureStyle() {
    }

    /** The CJK-capable font family used, or a logical font with a warning when none is installed. */
    public static String fontFamily() {
        String family = fontFamily;
        if (family == null) {
            family = findFont();
            fontFamily = family;
        }
        return family;
    }

    public static boolean hasCjkFont() {
        return new Font(fontFamily(), Font.PLAIN, 12).canDisplayUpTo("胃肠镜") == -1;
    }

    private static String findFont() {
        List<String> installed = List.of(GraphicsEnvironment.getLocalGraphicsEnvironment().getAvailableFontFamilyNames());
        for (String name : CJK_FONTS) {
            if (installed.contains(name)) {
                return name;
            }
        }
        for (String name : installed) {
            if (new Font(name, Font.PLAIN, 12).canDisplayUpTo("胃肠镜") == -1) {
                return name;
            }
        }
        System.err.println("WARNING: no font with Chinese glyphs found; Chinese text in figures will show as boxes."
                + " Install one: apt-get install fonts-wqy-microhei");
        return Font.SANS_SERIF;
    }

    public static Font font(int style, int size) {
        return new Font(fontFamily(), style, size);
    }

    /** Applies the common style to any XChart chart and returns it. */
    public static <C extends Chart<?, ?>> C apply(C chart) {
        Styler s = chart.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderVisible(false);
        s.setChartTitleFont(font(Font.BOLD, 14));
        s.setChartTitleBoxVisible(false);
        s.setLegendFont(font(Font.PLAIN, 11));
        s.setLegendBorderColor(Color.WHITE);
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        s.setSeriesColors(PALETTE);
        s.setAnnotationTextFont(font(Font.PLAIN, 10));
        s.setAntiAlias(true);
        s.setChartPadding(8);
        if (s instanceof AxesChartStyler axes) {
            axes.setAxisTitleFont(font(Font.PLAIN, 12));
            axes.setAxisTickLabelsFont(font(Font.PLAIN, 11));
            axes.setPlotGridLinesColor(new Color(0xE0E0E0));
            axes.setAxisTickMarksColor(Color.DARK_GRAY);
            axes.setAxisTickLabelsColor(Color.DARK_GRAY);
        }
        return chart;
    }
}
