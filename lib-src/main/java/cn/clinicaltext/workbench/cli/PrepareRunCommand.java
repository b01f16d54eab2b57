package cn.clinicaltext.workbench.cli;

import cn.clinicaltext.workbench.run.Run;
import cn.clinicaltext.workbench.run.NotebookParameters;
import cn.clinicaltext.workbench.run.RunFolder;
import cn.clinicaltext.workbench.run.RunSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The first half of {@code ./workbench run --data-dir ...}: checks the settings and the data, opens the run's
 * folder by the new-run rule, and writes the notebooks with the run's parameters injected. Prints the run folder
 * on standard output; the script then executes the notebooks.
 */
@Command(name = "prepare-run", mixinStandardHelpOptions = true,
        description = "Opens (or resumes) a run folder under runs/ and writes its parameterised notebooks;"
                + " ./workbench run --data-dir ... calls it, then executes them. Settings start from the default"
                + " preset unless --preset or --spec says otherwise.")
final class PrepareRunCommand implements Callable<Integer> {
    @Mixin
    SpecOptions options;

    @Option(names = "--runs-dir", description = "where run folders are made (default: runs/ in the project)")
    Path runsDir;

    @Override
    public Integer call() throws Exception {
        RunSpec spec = options.spec();
        Run demo = Run.fromEnvironment();
        Path root = demo.root();
        Path data = root.resolve(spec.data()).toAbsolutePath().normalize();
        Path runs = runsDir != null ? runsDir.toAbsolutePath() : root.resolve(RunFolder.RUNS);
        // the data and its class names are checked before the run folder is made, so a bad call leaves nothing
        Run preview = Run.of(root, new RunFolder(runs.resolve(spec.resolvedName()), spec, false));
        if (!preview.hasGivenSplit() && !Files.exists(preview.corpusFile())) {
            throw new IllegalArgumentException(data + " has neither all.txt nor train.txt, val.txt and test.txt"
                    + " (./workbench import makes them from a CSV, TSV or Excel file)");
        }
        List<String> labels = preview.labels();
        RunFolder run = RunFolder.open(runs, spec);
        System.err.println(run.describe());
        System.err.println("classes: " + labels);
        NotebookParameters.prepare(root.resolve("notebooks"), run, root);
        System.out.println(run.dir().toAbsolutePath());   // the script runs the notebooks from its own folder
        return 0;
    }
}
