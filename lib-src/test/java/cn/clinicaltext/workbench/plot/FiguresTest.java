package cn.clinicaltext.workbench.plot;

import cn.clinicaltext.workbench.data.Corpus;
import cn.clinicaltext.workbench.data.LabeledText;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import javax.imageio.metadata.IIOMetadataNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class FiguresTest {
    @Test
    void savesPngAt300DpiAndSvgWithChineseText(@TempDir Path dir) throws Exception {
        Corpus corpus = Corpus.of(List.of(new LabeledText("胃镜", 1), new LabeledText("肠镜", 2), new LabeledText("胆囊", 0)), 3);
        var chart = CorpusCharts.discriminatingCharacters(corpus, 4, "字符");
        List<Path> files = Figures.save(chart, dir.resolve("fig"));
        assertEquals(List.of(dir.resolve("fig.png"), dir.resolve("fig.svg")), files);
        var reader = ImageIO.getImageReadersByFormatName("png").next();
        try (var in = ImageIO.createImageInputStream(files.get(0).toFile())) {
            reader.setInput(in);
            assertEquals(chart.getWidth() * Figures.DPI / 72, reader.getWidth(0));
            var root = (IIOMetadataNode) reader.getImageMetadata(0).getAsTree("javax_imageio_1.0");
            var pixelSize = (IIOMetadataNode) root.getElementsByTagName("HorizontalPixelSize").item(0);
            double mmPerPixel = Double.parseDouble(pixelSize.getAttribute("value"));
            assertEquals(300, 25.4 / mmPerPixel, 1.0);
        }
        String svg = Files.readString(files.get(1));
        assertTrue(svg.startsWith("<?xml") && svg.contains("<svg"));
        assertTrue(svg.contains("viewBox=\"0 0 " + chart.getWidth() + " " + chart.getHeight() + "\""), "vector size");
        assertTrue(svg.contains("<path"), "text and shapes as outlines: the SVG needs no CJK font to display");
        try (var left = Files.list(dir)) {
            assertEquals(2, left.count(), "no temporary files left");
        }
    }

    @Test
    void aCjkFontIsUsedWhenInstalled() {
        org.junit.jupiter.api.Assumptions.assumeTrue(FigureStyle.hasCjkFont(), "no CJK font on this machine");
        assertTrue(FigureStyle.font(java.awt.Font.PLAIN, 12).canDisplayUpTo("上消化道") == -1);
    }
}
