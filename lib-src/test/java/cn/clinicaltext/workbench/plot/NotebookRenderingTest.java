package cn.clinicaltext.workbench.plot;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.Renderer;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.*;

class NotebookRenderingTest {
    @Test
    void drawingsShowAsSharpPngAndHtmlAsHtmlOnceRegistered() throws Exception {
        Renderer renderer = new Renderer();
        Drawing red = Drawing.of(30, 20, g -> {
            g.setColor(Color.RED);
            g.fillRect(0, 0, 30, 20);
        });
        assertNull(renderer.render(red).getData(MIMEType.IMAGE_PNG), "unknown to a bare renderer");
        NotebookRendering.register(renderer);
        DisplayData shown = renderer.render(red);
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder()
                .decode((String) shown.getData(MIMEType.IMAGE_PNG))));
        assertEquals(60, png.getWidth(), "drawn at twice its size");
        assertEquals(40, png.getHeight());
        assertEquals(Color.RED.getRGB(), png.getRGB(30, 20));
        assertEquals("Drawing 30x20", shown.getData(MIMEType.TEXT_PLAIN));
        DisplayData html = renderer.render(new Html("<b>x</b>"));
        assertEquals("<b>x</b>", html.getData(MIMEType.TEXT_HTML));
    }
}
