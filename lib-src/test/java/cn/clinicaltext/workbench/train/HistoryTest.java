package cn.clinicaltext.workbench.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class HistoryTest {
    @Test
    void csvRoundTripSoCurvesCanBeReplottedLater(@TempDir Path dir) throws Exception {
        History h = new History();
        h.add(new EpochStats(1, 56, 5.6e-6, 1.1, 0.3, 1.0, 0.47, 0.41, Double.NaN, 19.2));
        h.add(new EpochStats(2, 112, 1.12e-5, 0.9, 0.5, 0.8, 0.61, 0.58, 0.6, 18.4));
        Path file = dir.resolve("history.csv");
        h.writeCsv(file);
        History back = History.readCsv(file);
        assertEquals(2, back.size());
        assertEquals(0.8, back.last().valLoss(), 1e-6);
        assertTrue(Double.isNaN(back.rows().get(0).testAccuracy()), "no test split is an empty field");
        assertEquals(10, back.toTable().columnCount());
        assertEquals(0.58, back.last().valMacroF1(), 1e-6);
        assertEquals(19.2 + 18.4, back.seconds(), 1e-6, "the run's time is every epoch's, read back with them");
        Files.writeString(file, "not,a,history\n");
        assertThrows(IOException.class, () -> History.readCsv(file));
    }
}
