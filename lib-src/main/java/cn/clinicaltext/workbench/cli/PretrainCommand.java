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

    @Option(names = "--steps", descriptionKey = "pretrain:steps", description = "optimiser steps")
    Long steps;

    @Option(names = "--maxlen", descriptionKey = "pretrain:maxlen", description = "tokens per packed sequence")
    Integer maxlen;

    @Option(names = "--batch-size", descriptionKey = "pretrain:batchSize", description = "sequences per step")
    Integer batchSize;

    @Option(names = "--lr", descriptionKey = "pretrain:learningRate.peak", description = "peak learning rate")
    Float lr;

    @Option(names = "--warmup", descriptionKey = "pretrain:learningRate.warmup",
            description = "warm-up: steps if > 1, else a fraction of the run")
    Double warmup;

    @Option(names = "--mask-rate", descriptionKey = "pretrain:maskRate", description = "share of tokens predicted")
    Float maskRate;

    @Option(names = "--whole-word", descriptionKey = "pretrain:wholeWord", description = "mask WordPiece words whole (Latin words, numbers)")
    Boolean wholeWord;

    @Option(names = "--dropout", descriptionKey = "pretrain:dropout", description = "dropout rate")
    Float dropout;

    @Option(names = "--weight-decay", descriptionKey = "pretrain:weightDecay", description = "AdamW weight decay")
    Float weightDecay;

    @Option(names = "--save-every", descriptionKey = "pretrain:saveEvery", description = "steps between checkpoints")
    Integer saveEvery;

    @Option(names = "--seed", descriptionKey = "pretrain:seed", description = "seed")
    Long seed;

    @Option(names = "--threads", descriptionKey = "pretrain:threads", description = "engine threads, 0 = the engine's"
            + " default")
    Integer threads;

    @Option(names = "--vocab-min-count", descriptionKey = "pretrain:vocabMinCount",
            description = "from scratch: minimum character count for the vocabulary")
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
