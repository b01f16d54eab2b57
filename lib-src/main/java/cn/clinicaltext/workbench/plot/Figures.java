package cn.clinicaltext.workbench.plot;

import cn.clinicaltext.workbench.io.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Saves a figure as PNG at 300 dpi and as SVG, both atomically, for papers: {@code base.png}, {@code base.svg}. */
public final class Figures {
    public static final int DPI = 300;

    private Figures() {
    }

    /** @return the two files written */
    public static List<Path> save(Chart<?, ?> chart, Path base) throws IOException {
        Path dir = base.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        String name = base.getFileName().toString();
        Path png = dir.resolve(name + ".png");
        Path svg = dir.resolve(name + ".svg");
        // XChart appends the extension itself, so the temporary names end in it too.
        Path tmpPng = Files.createTempFile(dir, "." + name + ".", ".png");
        Path tmpSvg = Files.createTempFile(dir, "." + name + ".", ".svg");
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
