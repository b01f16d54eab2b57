package cn.clinicaltext.workbench.cli;

import cn.clinicaltext.workbench.io.Records;
import cn.clinicaltext.workbench.train.PretrainingConfig;
import cn.clinicaltext.workbench.checkpoint.PretrainedStart;
import cn.clinicaltext.workbench.data.UnlabeledCorpus;
import cn.clinicaltext.workbench.train.PretrainSetup;
import cn.clinicaltext.workbench.train.Pretrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code ./workbench distil-pretrain}: a pretrained ALBERT-tiny by task-agnostic distillation ({@link Pretrainer}). */
@Command(name = "distil-pretrain", mixinStandardHelpOptions = true,
        description = "Task-agnostic distillation: an ALBERT-tiny student, from random weights with the teacher's"
                + " vocabulary, learns the teacher's final hidden states on unlabeled text (TinyBERT's hidden-state"
                + " loss at the last layer, through a learnt projection). The output folder is a start that"
                + " train --pretrained reads like any other; a killed run resumes with the same --out.")
final class DistilPretrainCommand implements Callable<Integer> {
    @Mixin
    PretrainOptions options;

    @Option(names = "--teacher", required = true, description = "the teacher: bge-small-zh-v1.5 or a checkpoint"
            + " folder (Google ALBERT or BERT, Hugging Face, ONNX, a pretrain output)")
    String teacher;

    @Option(names = "--pca-embeddings", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "start the student's word embeddings from the teacher's, projected onto their leading"
                    + " principal components (default ${DEFAULT-VALUE})")
    boolean pcaEmbeddings;

    @Override
    public Integer call() throws Exception {
        var config = Records.with(PretrainingConfig.DEFAULT, options.settings());
        options.checkOut();
        Path home = ProjectPaths.home();
        PretrainedStart start = PretrainedStart.resolve(ProjectPaths.typedStart(teacher), home)
                .orElseThrow(() -> new IllegalArgumentException("--teacher " + teacher + ": a distillation needs a"
                        + " teacher, not a random start"));
        var result = Pretrainer.run(new PretrainSetup(options.out, UnlabeledCorpus.read(options.corpus), null,
                options.modelConfig(), config, home, new PretrainSetup.HiddenStateTeacher(start, pcaEmbeddings)));
        System.out.println(result);
        return 0;
    }
}
