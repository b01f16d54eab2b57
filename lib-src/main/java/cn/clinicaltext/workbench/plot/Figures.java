package cn.clinicaltext.workbench.plot;

import cn.clinicaltext.workbench.io.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Saves a figure as PNG at 300 dpi and as SVG, both atomically, for papers: {@code base.png}, {@code base.svg}. */
public final class Figures {
    public static final int DPI = 300;

    private Figures() {
    }

    /** Saves a Java2D drawing: PNG at 300 dpi (with its resolution recorded) and SVG; returns both files. */
    public static List<Path> save(Drawing drawing, Path base) throws IOException {
        Path dir = base.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        String name = base.getFileName().toString();
        double scale = DPI / 72.0;
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage((int) Math.ceil(drawing.width() * scale),
                (int) Math.ceil(drawing.height() * scale), java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(java.awt.RenderingHints.KEY_ANTIALIASING, java.awt.RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(java.awt.RenderingHints.KEY_TEXT_ANTIALIASING, java.awt.RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.scale(scale, scale);
            drawing.paint(g);
        } finally {
            g.dispose();
        }
        Path png = dir.resolve(name + ".png");
        AtomicFiles.write(png, out -> writePngWithDpi(image, out));
        de.erichseifert.vectorgraphics2d.VectorGraphics2D vg = new de.erichseifert.vectorgraphics2d.VectorGraphics2D();
        drawing.paint(vg);
        de.erichseifert.vectorgraphics2d.Document doc = new de.erichseifert.vectorgraphics2d.svg.SVGProcessor()
                .getDocument(vg.getCommands(), new de.erichseifert.vectorgraphics2d.util.PageSize(0, 0, drawing.width(), drawing.height()));
        Path svg = dir.resolve(name + ".svg");
        AtomicFiles.write(svg, doc::writeTo);
        return List.of(png, svg);
    }

    private static void writePngWithDpi(java.awt.image.BufferedImage image, OutputStream out) throws IOException {
        javax.imageio.ImageWriter writer = javax.imageio.ImageIO.getImageWritersByFormatName("png").next();
        javax.imageio.ImageWriteParam param = writer.getDefaultWriteParam();
        javax.imageio.metadata.IIOMetadata meta = writer.getDefaultImageMetadata(
                javax.imageio.ImageTypeSpecifier.createFromRenderedImage(image), param);
        double mmPerPixel = 25.4 / DPI;
        javax.imageio.metadata.IIOMetadataNode h = new javax.imageio.metadata.IIOMetadataNode("HorizontalPixelSize");
        h.setAttribute("value", Double.toString(mmPerPixel));
        javax.imageio.metadata.IIOMetadataNode v = new javax.imageio.metadata.IIOMetadataNode("VerticalPixelSize");
        v.setAttribute("value", Double.toString(mmPerPixel));
        javax.imageio.metadata.IIOMetadataNode dim = new javax.imageio.metadata.IIOMetadataNode("Dimension");
        dim.appendChild(h);
        dim.appendChild(v);
        javax.imageio.metadata.IIOMetadataNode root = new javax.imageio.metadata.IIOMetadataNode("javax_imageio_1.0");
        root.appendChild(dim);
        meta.mergeTree("javax_imageio_1.0", root);
        try (javax.imageio.stream.ImageOutputStream ios = javax.imageio.ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.write(null, new javax.imageio.IIOImage(image, null, meta), param);
        } finally {
            writer.dispose();
        }
    }

    /** @return the two files written */
    public static List<Path> save(Chart<?, ?> chart, Path base) throws IOException {
        Path dir = base.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        String name = base.getFileName().toString();
        Path png = dir.resolve(name + ".png");
        Path svg = dir.resolve(name + ".svg");
        // XChart appends the extension itself, so the temporary names end in it too.
        Path tmpPng = AtomicFiles.temporaryFor(png, ".png");
        Path tmpSvg = AtomicFiles.temporaryFor(svg, ".svg");
        try {
            BitmapEncoder.saveBitmapWithDPI(chart, tmpPng.toString(), BitmapEncoder.BitmapFormat.PNG, DPI);
            VectorGraphicsEncoder.saveVectorGraphic(chart, tmpSvg.toString(), VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            AtomicFiles.moveIntoPlace(tmpPng, png);
            AtomicFiles.moveIntoPlace(tmpSvg, svg);
        } finally {
            Files.deleteIfExists(tmpPng);
            Files.deleteIfExists(tmpSvg);
        }
        return List.of(png, svg);
    }
}
