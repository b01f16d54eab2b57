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
 * @param modelConfig model shape from scratch (null: ALBERT-tiny, {@link AlbertConfig#ALBERT_TINY_ZH}); ignored when
 *                    continuing
 * @param config      pretraining settings
 * @param projectRoot for the code version (git commit)
 * @param teacher     task-agnostic distillation instead of masked-LM: the student, of {@code modelConfig} from
 *                    seeded random weights with the teacher's vocabulary, learns the teacher's final hidden states
 *                    on the corpus ({@link cn.clinicaltext.workbench.model.HiddenStateHead}); null: masked-LM
 */
public record PretrainSetup(Path outDir, UnlabeledCorpus corpus, PretrainedStart from, AlbertConfig modelConfig,
                            PretrainingConfig config, Path projectRoot, HiddenStateTeacher teacher) {
    /**
     * The teacher of a task-agnostic distillation.
     *
     * @param start         the teacher's weights (bge-small-zh-v1.5, any checkpoint folder)
     * @param pcaEmbeddings start the student's word embeddings from the teacher's, projected onto their leading
     *                      principal components (the teacher and student share the vocabulary); false: random
     */
    public record HiddenStateTeacher(PretrainedStart start, boolean pcaEmbeddings) {
        /** The teacher with the student's word embeddings started from its own (distil-pretrain's default). */
        public static HiddenStateTeacher withPcaEmbeddings(PretrainedStart start) {
            return new HiddenStateTeacher(start, true);
        }
    }

    /** Masked-LM pretraining. */
    public PretrainSetup(Path outDir, UnlabeledCorpus corpus, PretrainedStart from, AlbertConfig modelConfig,
                         PretrainingConfig config, Path projectRoot) {
        this(outDir, corpus, from, modelConfig, config, projectRoot, null);
    }

    public PretrainSetup {
        modelConfig = modelConfig == null ? AlbertConfig.ALBERT_TINY_ZH : modelConfig;
        if (teacher != null && from != null) {
            throw new IllegalArgumentException("a distilled student starts from random weights (and resumes from its"
                    + " own folder): give a teacher or a start to continue from, not both");
        }
    }
}
