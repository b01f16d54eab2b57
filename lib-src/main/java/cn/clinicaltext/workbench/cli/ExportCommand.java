package cn.clinicaltext.workbench.cli;

import cn.clinicaltext.workbench.io.AtomicFiles;
import cn.clinicaltext.workbench.samediff.TwinExport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Writes a saved classifier as a SameDiff graph (FlatBuffers) that Deeplearning4j loads with "
                + "SameDiff.load, with FILE.json (inputs, outputs, class names) and FILE.vocab.txt beside it.")
final class ExportCommand implements Callable<Integer> {
    enum Format { SAMEDIFF }

    @Option(names = "--model", required = true, description = "saved model folder, e.g. weights/albert-tiny")
    Path model;

    @Option(names = "--format", defaultValue = "samediff", description = "samediff (the only one so far)")
    Format format;

    @Option(names = "--out", required = true, description = "the graph file to write, e.g. albert.fb")
    Path out;

    @Override
    public Integer call() throws Exception {
        AtomicFiles.checkWritable(out);
        TwinExport.Written w = TwinExport.export(model, out);
        System.out.printf(Locale.ROOT, "wrote %s (%.1f MB), %s, %s%n", w.graph(), w.bytes() / 1e6, w.description(),
                w.vocabulary());
        return 0;
    }
}
