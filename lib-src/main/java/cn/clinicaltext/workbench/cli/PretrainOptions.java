package cn.clinicaltext.workbench.cli;

import cn.clinicaltext.workbench.io.Records;
import cn.clinicaltext.workbench.io.AtomicFiles;
import cn.clinicaltext.workbench.model.AlbertConfig;
import cn.clinicaltext.workbench.train.LearningRatePlan;
import cn.clinicaltext.workbench.train.PretrainingConfig;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;

/**
 * The options pretrain and distil-pretrain share: corpus, output and the settings of {@link PretrainingConfig}
 * that both read, each overriding {@link PretrainingConfig#DEFAULT} (the one home of their defaults).
 */
final class PretrainOptions {
    @Option(names = "--corpus", required = true, description = "text file(s); repeat for several (e.g. a domain"
            + " corpus and the training split: domain- and task-adaptive at once)")
    List<Path> corpus;

    @Option(names = "--out", required = true, description = "output folder")
    Path out;

    @Option(names = "--steps", descriptionKey = "pretrain:steps")
    Long steps;

    @Option(names = "--maxlen", descriptionKey = "pretrain:maxlen")
    Integer maxlen;

    @Option(names = "--batch-size", descriptionKey = "pretrain:batchSize")
    Integer batchSize;

    @Option(names = "--lr", descriptionKey = "pretrain:learningRate.peak", description = "peak learning rate")
    Float lr;

    @Option(names = "--warmup", descriptionKey = "pretrain:learningRate.warmup",
            description = "warm-up: steps if > 1, else a fraction of the run")
    Double warmup;

    @Option(names = "--dropout", descriptionKey = "pretrain:dropout")
    Float dropout;

    @Option(names = "--weight-decay", descriptionKey = "pretrain:optimiser.weightDecay")
    Float weightDecay;

    @Option(names = "--save-every", descriptionKey = "pretrain:saveEvery")
    Integer saveEvery;

    @Option(names = "--seed", descriptionKey = "pretrain:seed")
    Long seed;

    @Option(names = "--threads", descriptionKey = "pretrain:threads")
    Integer threads;

    @Option(names = "--tiny", description = "a tiny model instead of ALBERT-tiny (for quick checks)")
    boolean tiny;

    /**
     * The settings the options given here change, by name, in order ({@link PretrainingConfig#DEFAULT} is what they
     * change; the caller adds its own and applies them with {@link Records#with}).
     */
    Map<String, Object> settings() {
        PretrainingConfig d = PretrainingConfig.DEFAULT;
        Map<String, Object> b = new LinkedHashMap<>();
        if (steps != null) b.put("steps", steps);
        if (maxlen != null) b.put("maxlen", maxlen);
        if (batchSize != null) b.put("batchSize", batchSize);
        if (lr != null || warmup != null) {
            LearningRatePlan p = d.learningRate();
            b.put("learningRate", LearningRatePlan.warmupDecay(lr != null ? lr : p.peak(),
                    warmup != null ? warmup : p.warmup(), p.decayEnd(), p.finalFraction()));
        }
        if (dropout != null) b.put("dropout", dropout);
        if (weightDecay != null) b.put("optimiser.weightDecay", weightDecay);
        if (saveEvery != null) b.put("saveEvery", saveEvery);
        if (seed != null) b.put("seed", seed);
        if (threads != null) b.put("threads", threads);
        return b;
    }

    /** The model shape of a new encoder: a tiny one with --tiny, else null (ALBERT-tiny). */
    AlbertConfig modelConfig() {
        return tiny ? AlbertConfig.TINY : null;
    }

    /** The output folder can be written (checked before any work). */
    void checkOut() throws IOException {
        AtomicFiles.checkWritableFolder(out);
    }
}
