package cn.clinicaltext.workbench.cli;

import cn.clinicaltext.workbench.checkpoint.SavedModel;
import cn.clinicaltext.workbench.run.Run;
import cn.clinicaltext.workbench.eval.RunComparison;
import cn.clinicaltext.workbench.io.AtomicFiles;
import cn.clinicaltext.workbench.plot.EvaluationCharts;
import cn.clinicaltext.workbench.plot.Figures;
import cn.clinicaltext.workbench.run.RunFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Compares runs made by ./workbench run: the settings that differ, test scores with 95%% intervals"
                + " and over seeds, and a paired test (McNemar, paired bootstrap) for runs on the same test texts.")
final class CompareCommand implements Callable<Integer> {
    @Parameters(arity = "2..*", paramLabel = "RUN", description = "run folders (runs/NAME) or their run.json")
    List<Path> runs;

    @Option(names = "--figure", description = "also save the comparison figure here (base path; .png and .svg added)")
    Path figure;

    @Override
    public Integer call() throws Exception {
        if (figure != null) {
            AtomicFiles.checkWritable(Path.of(figure + ".png"));
        }
        Set<Path> seen = new LinkedHashSet<>();
        for (Path r : runs) {
            Path file = (Files.isDirectory(r) ? r.resolve(RunFolder.SPEC_FILE) : r).toAbsolutePath().normalize();
            Path folder = file.getParent();
            if (folder != null && Files.isRegularFile(folder.resolve(SavedModel.MODEL_JSON))) {
                // a model folder holds a model, not a run's settings (before 2026-12-08 its session record was also
                // called run.json)
                throw new IllegalArgumentException(r + " is a model folder (it has " + SavedModel.MODEL_JSON + "), not"
                        + " a run; compare takes run folders of ./workbench run (runs/NAME). To compare two models on"
                        + " the same test texts: ./workbench evaluate --model " + r + " --data TEST.txt --versus"
                        + " OTHER-MODEL (paired tests and both speeds)");
            }
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException(r + " is not a run of ./workbench run (it has no "
                        + RunFolder.SPEC_FILE + "); compare takes run folders (runs/NAME). To compare two models on"
                        + " one test file, run evaluate on each: it pairs each with the baseline");
            }
            if (!seen.add(file)) {
                throw new IllegalArgumentException(r + " is given twice; compare takes two or more different runs");
            }
        }
        List<RunComparison.Run> entries = new ArrayList<>();
        for (Path file : seen) {
            Run project = Run.open(file.toString());
            entries.add(project.comparisonEntry(project.name()));
        }
        RunComparison comparison = RunComparison.of(entries);
        System.out.println(comparison.settingsTable().print());
        System.out.println();
        System.out.println(comparison.metricsTable().print());
        System.out.println();
        System.out.println(comparison.pairedTable().print());
        if (figure != null) {
            Figures.save(EvaluationCharts.runComparison(comparison, "Test scores by run"), figure);
            System.out.println("figure: " + figure + ".png, .svg");
        }
        return 0;
    }
}
