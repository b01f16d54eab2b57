package cn.clinicaltext.workbench.cli;

import cn.clinicaltext.workbench.checkpoint.SavedModel;
import cn.clinicaltext.workbench.data.DataSplit;
import cn.clinicaltext.workbench.eval.Baseline;
import cn.clinicaltext.workbench.eval.ModelEvaluation;
import cn.clinicaltext.workbench.eval.ModelSpeed;
import cn.clinicaltext.workbench.io.AtomicFiles;
import cn.clinicaltext.workbench.model.TextClassifier;
import cn.clinicaltext.workbench.run.Run;
import cn.clinicaltext.workbench.run.RunFolder;
import cn.clinicaltext.workbench.run.RunSpec;
import cn.clinicaltext.workbench.train.Distillation;
import cn.clinicaltext.workbench.train.TrainingResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code ./workbench distil}: an ALBERT-tiny student taught by a fine-tuned teacher ({@link Distillation}). */
@Command(name = "distil", mixinStandardHelpOptions = true,
        description = "Task-specific distillation: trains ALBERT-tiny (from random weights with the teacher's"
                + " vocabulary, or from --student-start) on a fine-tuned teacher's class probabilities (and the"
                + " labels) over the training texts, augmented copies of them and any unlabelled texts; then scores"
                + " student and teacher once on test.txt, and times both. One student (with --seeds, one per seed, all"
                + " taught by the one teacher). Training and distillation settings start from the scratch preset"
                + " unless --preset or --spec says otherwise.")
final class DistilCommand implements Callable<Integer> {
    @Mixin
    SpecOptions run;

    @Spec
    CommandSpec command;

    @Option(names = "--teacher", required = true, description = "the teacher: a saved model folder (train --out,"
            + " weights/model-seed42) or a run folder of ./workbench run (its main model)")
    Path teacher;

    @Option(names = "--out", required = true, description = "the student's model folder (several seeds: one"
            + " folder per seed, OUT-seedS)")
    Path out;

    @Option(names = "--unlabeled", description = "in-domain texts without labels, one per line (a trailing TAB and"
            + " label are ignored); repeatable")
    List<Path> unlabeled = new ArrayList<>();

    @Option(names = "--temperature", descriptionKey = "distillation.temperature", description = "softens teacher and"
            + " student in the soft term")
    Float temperature;

    @Option(names = "--alpha", descriptionKey = "distillation.alpha", description = "weight of the labels' term, 0..1")
    Float alpha;

    @Option(names = "--augment", descriptionKey = "distillation.augment", description = "augmented copies of each"
            + " training text (characters masked, spans sampled; Tang et al. 2019)")
    Integer augment;

    // the setting distillation.studentStart, read as a typed path (ProjectPaths.startSetting); no descriptionKey:
    // every preset leaves it unset, so there is no preset value for the help to show
    @Option(names = "--student-start", description = "where the student's weights start: a folder of distil-pretrain"
            + " (a task-agnostic student) or any pretrained start that reads the teacher's vocabulary; not given:"
            + " random weights")
    String studentStart;

    @Override
    public Integer call() throws Exception {
        RunSpec spec = run.spec(RunSpec.SCRATCH).withSettings(SpecOptions.givenSettings(command, "distillation."));
        SpecOptions.requireData(spec);
        if (studentStart != null) {
            spec = spec.with("distillation", spec.distillation()
                    .with("studentStart", ProjectPaths.startSetting(studentStart)));
        }
        // one student unless --seeds or a run file asks for several (as train: the presets' seed lists are for runs)
        if ((run.seeds == null || run.seeds.isEmpty()) && run.specFile == null) {
            spec = spec.with("seeds", List.of(spec.seeds().get(0)));
        }
        AtomicFiles.checkWritableFolder(out);
        Run student = Run.forCommand(ProjectPaths.home(), spec, out);
        DataSplit split = student.readSplit();
        // a model folder has model.json (and session.json, or run.json before 2026-12-08, of its own training); a run
        // folder only the run file
        Path teacherDir = !Files.exists(teacher.resolve("model.json"))
                && Files.isRegularFile(teacher.resolve(RunFolder.SPEC_FILE))
                ? Run.open(teacher.resolve(RunFolder.SPEC_FILE).toAbsolutePath().toString()).modelDir() : teacher;
        for (long seed : student.seeds()) {
            // the teacher's folder would receive the targets file and a student's weights over its own
            if (student.studentDir(seed).toAbsolutePath().normalize().equals(teacherDir.toAbsolutePath().normalize())) {
                throw new IllegalArgumentException("--out " + student.studentDir(seed) + " is the teacher's folder;"
                        + " give the student a folder of its own. Nothing was written.");
            }
        }
        List<String> extra = new ArrayList<>();
        for (Path f : unlabeled) {
            List<String> texts = InputTexts.fromFile(f);                  // predict's reading of a text file
            if (texts.isEmpty()) {
                throw new IllegalArgumentException(f + " holds no texts (only blank lines); --unlabeled takes in-domain"
                        + " texts without labels, one per line");
            }
            extra.addAll(texts);
        }
        List<TrainingResult> results = student.distil(teacherDir, extra, split);
        results.forEach(System.out::println);
        if (split.test().size() == 0) {
            return 0;
        }
        // test scored once, on the chosen students, beside the teacher and the baseline; teacher and students timed
        // on the same texts in this process (the speed a student is for: texts per second against its teacher)
        Baseline baseline = student.baseline(split);
        List<String> texts = split.test().texts();
        TextClassifier teacherModel = SavedModel.classifier(teacherDir);
        ModelSpeed teacherSpeed;
        try {
            teacherSpeed = ModelSpeed.inference(teacherModel, texts);
        } finally {
            teacherModel.params().close();
        }
        ModelEvaluation teacherTest = ModelEvaluation.of(teacherSpeed.probabilities(), teacherModel.labels(),
                split.test(), "test", baseline);
        System.out.println("Teacher:\n" + teacherTest.summaryTable().print());
        for (TrainingResult r : results) {
            TextClassifier studentModel = SavedModel.classifier(r.runDir());
            try {
                ModelSpeed studentSpeed = ModelSpeed.inference(studentModel, texts);
                ModelEvaluation studentTest = ModelEvaluation.of(studentSpeed.probabilities(), studentModel.labels(),
                        split.test(), "test", baseline);
                System.out.println("Student " + r.runDir() + ":\n" + studentTest.summaryTable().print());
                System.out.println(studentTest.versusBaselineLine());
                System.out.println("Student against teacher: " + studentTest.versus(teacherTest));
                System.out.println(String.format(Locale.ROOT, "Inference on the %d test texts: student %.1f texts/s,"
                        + " teacher %.1f texts/s (%.2f×)", texts.size(), studentSpeed.textsPerSecond(),
                        teacherSpeed.textsPerSecond(), studentSpeed.textsPerSecond() / teacherSpeed.textsPerSecond()));
            } finally {
                studentModel.params().close();
            }
        }
        return 0;
    }
}
