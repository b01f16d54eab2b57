package cn.clinicaltext.workbench.data;

import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Raw exports become a corpus; every row left out is reported with its reason. */
class TableImportTest {
    private static final String CSV = """
            id,report,diagnosis
            1,"胃镜：慢性浅表性胃炎, 胃窦为主",upper
            2,结肠镜：乙状结肠息肉,lower
            3,,upper
            4,混合痔，便血2周,
            5,混合痔，便血2周,upper
            6,混合痔，便血2周,lower
            7,混合痔，便血2周,lower
            8,结肠镜：乙状结肠息肉,lower
            9,"多行
            文本",neither
            10,胆囊结石,unknown
            """;

    @Test
    void csvRowsAreKeptOrDroppedWithTheReason(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("export.csv");
        Files.writeString(f, CSV);
        TableImport imp = TableImport.read(f, TableImport.Format.CSV, "report", "diagnosis", List.of(),
                DuplicatePolicy.DROP_ALL);
        assertEquals(10, imp.rows());
        assertEquals(List.of("lower", "neither", "unknown", "upper"), imp.corpus().labelNames(), "sorted label strings");
        assertEquals(List.of("胃镜：慢性浅表性胃炎, 胃窦为主", "结肠镜：乙状结肠息肉", "多行 文本", "胆囊结石"),
                imp.corpus().texts(), "quoted commas kept, line breaks made spaces, the conflicting text dropped");
        assertEquals(List.of(3, 4, 5, 6, 7, 8), imp.dropped().stream().map(TableImport.Dropped::row).toList());
        assertEquals("empty text", imp.dropped().get(0).reason());
        assertEquals("missing label", imp.dropped().get(1).reason());
        assertTrue(imp.dropped().get(2).reason().contains("label conflict"), imp.dropped().get(2).reason());
        assertTrue(imp.dropped().get(5).reason().contains("repeat"), imp.dropped().get(5).reason());
        assertEquals(6, imp.droppedTable().rowCount());

        TableImport majority = TableImport.read(f, TableImport.Format.CSV, "report", "diagnosis",
                List.of("neither", "upper", "lower"), DuplicatePolicy.MAJORITY);
        assertEquals(List.of("neither", "upper", "lower"), majority.corpus().labelNames(), "the order given");
        assertTrue(majority.corpus().texts().contains("混合痔，便血2周"));
        assertEquals(2, majority.corpus().records().get(majority.corpus().texts().indexOf("混合痔，便血2周")).label());
        assertTrue(majority.dropped().stream().anyMatch(d -> d.row() == 10 && d.reason().contains("not one of")),
                "a label outside the given list is reported");

        majority.write(dir.resolve("out"));
        assertEquals(List.of("neither", "upper", "lower"), LabelNames.read(dir.resolve("out/labels.txt")));
        Corpus back = CorpusReader.read(dir.resolve("out/all.txt"), LabelNames.read(dir.resolve("out/labels.txt")));
        assertEquals(majority.corpus().texts(), back.texts());
    }

    @Test
    void tsvAndExcelReadTheSame(@TempDir Path dir) throws Exception {
        Path tsv = dir.resolve("e.tsv");
        Files.writeString(tsv, "text\tlabel\n胃溃疡\t1\n直肠癌\t2\n正常\t0\n");
        Path xlsx = dir.resolve("e.xlsx");
        try (XSSFWorkbook wb = new XSSFWorkbook(); OutputStream out = Files.newOutputStream(xlsx)) {
            var sheet = wb.createSheet();
            String[][] rows = {{"text", "label"}, {"胃溃疡", "1"}, {"直肠癌", "2"}, {"正常", "0"}};
            for (int r = 0; r < rows.length; r++) {
                var row = sheet.createRow(r);
                row.createCell(0).setCellValue(rows[r][0]);
                if (r == 0) {
                    row.createCell(1).setCellValue(rows[r][1]);
                } else {
                    row.createCell(1).setCellValue(Double.parseDouble(rows[r][1]));   // numbers, as Excel keeps them
                }
            }
            wb.write(out);
        }
        TableImport a = TableImport.read(tsv, TableImport.Format.TSV, "text", "label", List.of(), DuplicatePolicy.DROP_ALL);
        TableImport b = TableImport.read(xlsx, TableImport.Format.XLSX, "text", "label", List.of(), DuplicatePolicy.DROP_ALL);
        assertEquals(List.of("0", "1", "2"), a.corpus().labelNames(), "numeric labels sorted as numbers");
        assertEquals(a.corpus().texts(), b.corpus().texts());
        assertArrayEquals(a.corpus().labels(), b.corpus().labels());
    }

    @Test
    void aMissingColumnNamesTheHeader(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("e.csv");
        Files.writeString(f, "report,dx\na,b\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TableImport.read(f, TableImport.Format.CSV, "text", "dx", List.of(), DuplicatePolicy.DROP_ALL));
        assertTrue(e.getMessage().contains("'text'") && e.getMessage().contains("[report, dx]"), e.getMessage());
    }

    @Test
    void labelNamesFileIsChecked(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("all.txt"), "a\t0\nb\t2\n");
        assertEquals(List.of("class 0", "class 1", "class 2"), LabelNames.forData(dir, List.of(dir.resolve("all.txt"))));
        Files.writeString(dir.resolve("labels.txt"), "no\nyes\n");
        CorpusFormatException e = assertThrows(CorpusFormatException.class,
                () -> LabelNames.forData(dir, List.of(dir.resolve("all.txt"))));
        assertTrue(e.getMessage().contains("labels.txt") && e.getMessage().contains("label 2"), e.getMessage());
        Files.writeString(dir.resolve("labels.txt"), "no\n\nyes\n");
        CorpusFormatException blank = assertThrows(CorpusFormatException.class, () -> LabelNames.read(dir.resolve("labels.txt")));
        assertTrue(blank.getMessage().contains(":2"), blank.getMessage());
    }
}
