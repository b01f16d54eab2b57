package cn.clinicaltext.workbench.train;

import cn.clinicaltext.workbench.checkpoint.PretrainedStart;
import cn.clinicaltext.workbench.data.UnlabeledCorpus;
import cn.clinicaltext.workbench.model.AlbertConfig;

import java.nio.file.Path;

/**
 * Everything a pretraining run needs.
 *
 * @param outDir      where the run writes albert_config.json, vocab.txt, the weights, history and state
 * @param corpus      the texts (domain-adaptive: a separate corpus; task-adaptive: the training texts)
 * @param from        pretrained weights to continue from (any {@link PretrainedStart}: Google's checkpoint, an
 *                    earlier pretraining output, bge-small-zh-v1.5, ...), or null to start from a seeded random
 *                    initialisation with a character vocabulary built from the corpus
 * @param modelConfig model shape from scratch (null: ALBERT-tiny); ignored when continuing
 * @param config      pretraining settings
 * @param projectRoot for the code version (git commit)
 */
public record PretrainSetup(Path outDir, UnlabeledCorpus corpus, PretrainedStart from, AlbertConfig modelConfig,
                            PretrainingConfig config, Path projectRoot) {
}
