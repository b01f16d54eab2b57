package cn.clinicaltext.workbench.io;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.*;

class ProgressTest {
    @Test
    void offATerminalOneLineEveryTenPercent() {
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            var consumer = Progress.everyTenPercent();
            for (int p = 0; p <= 100; p++) {
                consumer.accept("epoch 1 " + p + "% [=====] " + p + "/100\r");
                consumer.accept("epoch 1 " + p + "% [=====] " + p + "/100\r");   // redraws of the same state
            }
        } finally {
            System.setErr(old);
        }
        String[] lines = err.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(11, lines.length, "0%, 10%, ..., 100%");
        assertTrue(lines[5].startsWith("epoch 1 50%") && !lines[5].contains("\r"), lines[5]);
    }
}
