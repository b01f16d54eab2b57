package cn.clinicaltext.workbench.cli;

import cn.clinicaltext.workbench.io.Records;
import cn.clinicaltext.workbench.checkpoint.PretrainedStart;
import cn.clinicaltext.workbench.data.UnlabeledCorpus;
import cn.clinicaltext.workbench.train.PretrainSetup;
import cn.clinicaltext.workbench.train.Pretrainer;
import cn.clinicaltext.workbench.train.PretrainingConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "pretrain", mixinStandardHelpOptions = true,
        description = "Masked-LM pretraining of the ALBERT encoder on unlabeled text (one text per line; a"
                + " text<TAB>label file gives its texts), from scratch or continuing from pretrained weights. The"
                + " output folder is what train --pretrained reads; a killed run resumes with the same --out.")
final class PretrainCommand implements Callable<Integer> {
    @Mixin
    PretrainOptions options;

    @Option(names = "--from", description = "continue from this pretrained start: a checkpoint folder (Google ALBERT or"
            + " BERT, Hugging Face, ONNX, an earlier pretrain output) or bge-small-zh-v1.5; absent: random start,"
            + " vocabulary built from the corpus")
    String from;

    @Option(names = "--mask-rate", descriptionKey = "pretrain:maskRate")
    Float maskRate;

    @Option(names = "--whole-word", descriptionKey = "pretrain:wholeWord")
    Boolean wholeWord;

    @Option(names = "--vocab-min-count", descriptionKey = "pretrain:vocabMinCount")
    Integer vocabMinCount;

    /** The default pretraining settings with every option given applied. */
    PretrainingConfig config() {
        Map<String, Object> b = options.settings();
        if (maskRate != null) b.put("maskRate", maskRate);
        if (wholeWord != null) b.put("wholeWord", wholeWord);
        if (vocabMinCount != null) b.put("vocabMinCount", vocabMinCount);
        return Records.with(PretrainingConfig.DEFAULT, b);
    }

    @Override
    public Integer call() throws Exception {
        PretrainingConfig config = config();
        options.checkOut();
        Path home = ProjectPaths.home();
        PretrainedStart start = from == null ? null
                : PretrainedStart.resolve(ProjectPaths.typedStart(from), home).orElse(null);
        var result = Pretrainer.run(new PretrainSetup(options.out, UnlabeledCorpus.read(options.corpus), start,
                options.modelConfig(), config, home));
        System.out.println(result);
        return 0;
    }
}
