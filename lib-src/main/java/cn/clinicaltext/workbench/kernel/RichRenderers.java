package cn.clinicaltext.workbench.kernel;

import io.github.spencerpark.jupyter.kernel.display.Renderer;
import io.github.spencerpark.jupyter.kernel.display.common.Image;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import org.knowm.xchart.internal.chartpart.Chart;
import tech.tablesaw.api.Table;

import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Map;

/**
 * Rich notebook output for the libraries every notebook here uses: images and XChart charts as PNG, Tablesaw tables
 * as HTML, each with a plain-text twin. Types of the workbench's own packages are registered by whoever starts the
 * kernel ({@link JavaKernel#JavaKernel(KernelConfig, java.util.List)}).
 */
final class RichRenderers {
    /** Charts are drawn at twice their size and shown at their size, so they stay sharp on high-dpi screens. */
    private static final int CHART_SCALE = 2;
    private static final int TABLE_ROWS_SHOWN = 50;

    private RichRenderers() {
    }

    static void registerAll(Renderer renderer) {
        Image.registerAll(renderer);
        renderer.createRegistration(Chart.class)
                .preferring(MIMEType.IMAGE_PNG)
                .supporting(MIMEType.TEXT_PLAIN)
                .register((chart, ctx) -> {
                    ctx.renderIfRequested(MIMEType.IMAGE_PNG, () -> chartPng(chart));
                    ctx.getOutputContainer().putMetaData(MIMEType.IMAGE_PNG,
                            Map.of("width", chart.getWidth(), "height", chart.getHeight()));
                    ctx.renderIfRequested(MIMEType.TEXT_PLAIN, () -> chartDescription(chart));
                });
        renderer.createRegistration(Table.class)
                .preferring(MIMEType.TEXT_HTML)
                .supporting(MIMEType.TEXT_PLAIN)
                .register((table, ctx) -> {
                    ctx.renderIfRequested(MIMEType.TEXT_HTML, () -> TableHtml.render(table, TABLE_ROWS_SHOWN));
                    ctx.renderIfRequested(MIMEType.TEXT_PLAIN, () -> table.print(TABLE_ROWS_SHOWN));
                });
    }

    private static String chartDescription(Chart<?, ?> chart) {
        String title = chart.getTitle() == null || chart.getTitle().isBlank() ? "untitled" : chart.getTitle();
        return chart.getClass().getSimpleName() + " \"" + title + "\" " + chart.getWidth() + "x" + chart.getHeight();
    }

    private static String png(BufferedImage image) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    static String chartPng(Chart<?, ?> chart) {
        int w = chart.getWidth();
        int h = chart.getHeight();
        BufferedImage image = new BufferedImage(w * CHART_SCALE, h * CHART_SCALE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.scale(CHART_SCALE, CHART_SCALE);
            chart.paint(g, w, h);
        } finally {
            g.dispose();
        }
        return png(image);
    }
}
