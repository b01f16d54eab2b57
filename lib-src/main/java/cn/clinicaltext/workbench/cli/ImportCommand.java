package cn.clinicaltext.workbench.cli;

import cn.clinicaltext.workbench.data.DataSplit;
import cn.clinicaltext.workbench.data.SplitFiles;
import cn.clinicaltext.workbench.data.SplitSettings;
import cn.clinicaltext.workbench.data.TableImport;
import cn.clinicaltext.workbench.io.AtomicFiles;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Turns a CSV, TSV or Excel export into DIR/all.txt and DIR/labels.txt (label strings mapped to"
                + " ids) and, unless --no-split, the seeded split beside them; reports every row dropped and why"
                + " (also written to DIR/import-dropped.tsv).")
final class ImportCommand implements Callable<Integer> {
    static final class Input {
        @Option(names = "--csv", description = "comma-separated file with a header row")
        Path csv;
        @Option(names = "--tsv", description = "tab-separated file with a header row")
        Path tsv;
        @Option(names = "--xlsx", description = "Excel workbook (first sheet, header row)")
        Path xlsx;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    @Option(names = "--text-column", required = true, description = "header of the text column")
    String textColumn;

    @Option(names = "--label-column", required = true, description = "header of the label column")
    String labelColumn;

    @Option(names = "--out", required = true, description = "folder to write all.txt, labels.txt and the split into")
    Path out;

    @Option(names = "--labels", split = ",", description = "the label values in id order (default: sorted,"
            + " numbers numerically); rows with other labels are dropped and listed")
    List<String> labels = new ArrayList<>();

    @Option(names = "--encoding", defaultValue = "UTF-8", description = "the CSV or TSV file's encoding, any name"
            + " Java knows, case aside (default ${DEFAULT-VALUE}; GB18030 for Excel's exports on a Chinese Windows,"
            + " it covers GBK)")
    String encoding;

    @Option(names = "--no-split", description = "write only all.txt and labels.txt")
    boolean noSplit;

    @Mixin
    SplitOptions splitOptions;

    /** A charset by any name or alias Java knows, case aside; an unknown one is refused naming a few that exist. */
    static Charset charset(String name) {
        try {
            return Charset.forName(name.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--encoding " + name + " is not an encoding Java knows; for example"
                    + " UTF-8, GB18030 (covers GBK), Big5, windows-1252");
        }
    }

    @Override
    public Integer call() throws Exception {
        Path file = input.csv != null ? input.csv : input.tsv != null ? input.tsv : input.xlsx;
        TableImport.Format format = input.csv != null ? TableImport.Format.CSV
                : input.tsv != null ? TableImport.Format.TSV : TableImport.Format.XLSX;
        Charset charset = charset(encoding);
        if (input.xlsx != null && !charset.equals(StandardCharsets.UTF_8)) {
            throw new IllegalArgumentException("--encoding is for CSV and TSV files; an Excel workbook names its own");
        }
        SplitSettings settings = splitOptions.settings();
        AtomicFiles.checkWritableFolder(out);
        List<String> stale = Arrays.stream(SplitFiles.NAMES).map(n -> n + ".txt")
                .filter(n -> Files.exists(out.resolve(n))).toList();
        if (noSplit && !stale.isEmpty()) {
            // they would stay beside the new all.txt and labels.txt, and train would read them with the new names
            throw new IllegalArgumentException(out + " holds " + String.join(", ", stale) + " of an earlier split,"
                    + " which would not match the new all.txt; import into a new folder, or remove them first."
                    + " Nothing was written.");
        }
        TableImport imported = TableImport.read(file, format, charset, textColumn, labelColumn, labels,
                settings.duplicates());
        DataSplit split = noSplit ? null : settings.split(imported.dedup());
        // checked here too (SplitFiles.write checks it as well) so that a refused split leaves no folder behind
        if (split != null && split.parts().stream().anyMatch(p -> p.size() == 0)) {
            throw new IllegalArgumentException("the split " + split.train().size() + " / " + split.val().size()
                    + " / " + split.test().size() + " would leave a part empty; give other --ratios, more data, or"
                    + " --no-split. Nothing was written. (What was read: " + imported + ")");
        }
        Files.createDirectories(out);
        if (split != null) {
            SplitFiles.write(split, out, imported.corpus());
        }
        imported.write(out);
        StringBuilder report = new StringBuilder("row\treason\ttext\n");
        imported.dropped().forEach(d -> report.append(d.row()).append('\t').append(d.reason()).append('\t')
                .append(d.text()).append('\n'));
        AtomicFiles.writeString(out.resolve("import-dropped.tsv"), report.toString());
        System.out.println(imported);
        if (!imported.dropped().isEmpty()) {
            System.out.println(imported.droppedTable().print(20));
            System.out.println("every dropped row: " + out.resolve("import-dropped.tsv"));
        }
        if (split != null) {
            System.out.println("split (seed " + settings.seed() + "): train " + split.train().size() + ", val "
                    + split.val().size() + ", test " + split.test().size() + " in " + out);
        }
        System.out.println("wrote " + out.resolve("all.txt") + " and " + out.resolve("labels.txt"));
        return 0;
    }
}
