package cn.clinicaltext.workbench.plot;

import io.github.spencerpark.jupyter.kernel.display.Renderer;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;

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
 * How this package's own figure types show in a Jupyter notebook: a {@link Drawing} as PNG (drawn at twice its
 * size, shown at its size, so it stays sharp on high-dpi screens), an {@link Html} fragment as HTML, each with a
 * plain-text twin. Registered with a kernel's renderer (jupyter-jvm-basekernel's {@link Renderer}) by whoever
 * starts the kernel; the kernel itself knows no figure type of the workbench.
 */
public final class NotebookRendering {
    private static final int SCALE = 2;

    private NotebookRendering() {
    }

    public static void register(Renderer renderer) {
        renderer.createRegistration(Html.class)
                .preferring(MIMEType.TEXT_HTML)
                .supporting(MIMEType.TEXT_PLAIN)
                .register((html, ctx) -> {
                    ctx.renderIfRequested(MIMEType.TEXT_HTML, html::content);
                    ctx.renderIfRequested(MIMEType.TEXT_PLAIN, () -> "[HTML, " + html.content().length() + " characters]");
                });
        renderer.createRegistration(Drawing.class)
                .preferring(MIMEType.IMAGE_PNG)
                .supporting(MIMEType.TEXT_PLAIN)
                .register((drawing, ctx) -> {
                    ctx.renderIfRequested(MIMEType.IMAGE_PNG, () -> png(drawing));
                    ctx.getOutputContainer().putMetaData(MIMEType.IMAGE_PNG,
                            Map.of("width", drawing.width(), "height", drawing.height()));
                    ctx.renderIfRequested(MIMEType.TEXT_PLAIN, () -> "Drawing " + drawing.width() + "x" + drawing.height());
                });
    }

    /** The drawing as a base64 PNG at twice its size. */
    static String png(Drawing drawing) {
        BufferedImage image = new BufferedImage(drawing.width() * SCALE, drawing.height() * SCALE,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.scale(SCALE, SCALE);
            drawing.paint(g);
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }
}
