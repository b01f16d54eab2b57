package cn.clinicaltext.workbench.cli;

import cn.clinicaltext.workbench.checkpoint.PretrainedStart;
import cn.clinicaltext.workbench.data.UnlabeledCorpus;
import cn.clinicaltext.workbench.io.AtomicFiles;
import cn.clinicaltext.workbench.model.AlbertConfig;
import cn.clinicaltext.workbench.train.LearningRatePlan;
import cn.clinicaltext.workbench.train.PretrainSetup;
import cn.clinicaltext.workbench.train.Pretrainer;
import cn.clinicaltext.workbench.train.PretrainingConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "pretrain", mixinStandardHelpOptions = true,
        description = "Masked-LM pretraining of the ALBERT encoder on unlabeled text (one text per line; a"
                + " text<TAB>label file gives its texts), from scratch or continuing from pretrained weights. The"
                + " output folder is what train --pretrained reads; a killed run resumes with the same --out.")
final class PretrainCommand implements Callable<Integer> {
    @Option(names = "--corpus", required = true, description = "text file(s); repeat for several (e.g. a domain"
            + " corpus and the training split: domain- and task-adaptive at once)")
    List<Path> corpus;

    @Option(names = "--from", description = "continue from this pretrained start: a checkpoint folder (Google ALBERT or"
            + " BERT, Hugging Face, ONNX, an earlier pretrain output) or bge-small-zh-v1.5; absent: random start,"
            + " vocabulary built from the corpus")
    String from;

    @Option(names = "--out", required = true, description = "output folder")
    Path out;

    @Option(names = "--steps", description = "optimiser steps (default: 2000)")
    Long steps;

    @Option(names = "--maxlen", description = "tokens per packed sequence (default: 128)")
    Integer maxlen;

    @Option(names = "--batch-size", description = "sequences per step (default: 32)")
    Integer batchSize;

    @Option(names = "--lr", description = "peak learning rate (default: 5e-4)")
    Float lr;

    @Option(names = "--warmup", description = "warm-up: steps if > 1, else a fraction of the run (default: 0.06)")
    Double warmup;

    @Option(names = "--mask-rate", description = "share of tokens predicted (default: 0.15)")
    Float maskRate;

    @Option(names = "--whole-word", description = "mask WordPiece words whole (Latin words, numbers)")
    Boolean wholeWord;

    @Option(names = "--dropout", description = "dropout rate (default: 0.1)")
    Float dropout;

    @Option(names = "--weight-decay", description = "AdamW weight decay (default: 0.01)")
    Float weightDecay;

    @Option(names = "--save-every", description = "steps between checkpoints (default: 200)")
    Integer saveEvery;

    @Option(names = "--seed", description = "seed (default: 42)")
    Long seed;

    @Option(names = "--threads", description = "engine threads, 0 = the engine's default")
    Integer threads;

    @Option(names = "--vocab-min-count", description = "from scratch: minimum character count for the vocabulary (default: 1)")
    Integer vocabMinCount;

    @Option(names = "--tiny", description = "a tiny model instead of ALBERT-tiny (for quick checks)")
    boolean tiny;

    /** The default pretraining settings with every option given applied. */
    PretrainingConfig config() {
        PretrainingConfig d = PretrainingConfig.DEFAULT;
        PretrainingConfig.Builder b = d.toBuilder();
        if (steps != null) b.steps(steps);
        if (maxlen != null) b.maxlen(maxlen);
        if (batchSize != null) b.batchSize(batchSize);
        if (lr != null || warmup != null) {
            LearningRatePlan p = d.learningRate();
            b.learningRate(LearningRatePlan.warmupDecay(lr != null ? lr : p.peak(), warmup != null ? warmup : p.warmup(),
                    p.decayEnd(), p.finalFraction()));
        }
        if (maskRate != null) b.maskRate(maskRate);
        if (wholeWord != null) b.wholeWord(wholeWord);
        if (dropout != null) b.dropout(dropout);
        if (weightDecay != null) b.weightDecay(weightDecay);
        if (saveEvery != null) b.saveEvery(saveEvery);
        if (seed != null) b.seed(seed);
        if (threads != null) b.threads(threads);
        if (vocabMinCount != null) b.vocabMinCount(vocabMinCount);
        return b.build();
    }

    @Override
    public Integer call() throws Exception {
        PretrainingConfig config = config();
        AtomicFiles.checkWritableFolder(out);
        AlbertConfig model = tiny ? AlbertConfig.TINY : null;
        Path home = ProjectPaths.home();
        PretrainedStart start = from == null ? null
                : PretrainedStart.resolve(ProjectPaths.typedStart(from), home).orElse(null);
        var result = Pretrainer.run(new PretrainSetup(out, UnlabeledCorpus.read(corpus), start, model, config, home));
        System.out.println(result);
        return 0;
    }
}
