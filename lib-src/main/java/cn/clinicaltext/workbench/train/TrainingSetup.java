package cn.clinicaltext.workbench.train;

import cn.clinicaltext.workbench.checkpoint.PretrainedStart;
import cn.clinicaltext.workbench.data.DataSplit;
import cn.clinicaltext.workbench.model.AlbertConfig;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a training run needs.
 *
 * @param runDir         where the run writes its model, history and state ({@code weights/<run>})
 * @param data           train/val/test splits (test may be empty)
 * @param labelNames     class names in id order
 * @param start          the pretrained encoder the run starts from; null: a seeded random initialisation, which
 *                       the run says out loud
 * @param modelConfig    model shape for a random start (null: ALBERT-tiny, {@link AlbertConfig#ALBERT_TINY_ZH});
 *                       ignored with a pretrained checkpoint
 * @param training       optimisation settings
 * @param seed           seeds initialisation, the order of the batches and the dropout masks: the same seed gives the
 *                       same run (one of the run's seeds; the run's settings hold them, {@code RunSpec.seeds})
 * @param dataProvenance what the data is (file hashes, split seed), recorded with the model
 * @param projectRoot    for the code version (git commit)
 * @param teacher        distillation: the teacher's targets and the transfer set the student trains on instead of
 *                       the training split (from {@code start}, which must read the teacher's vocabulary, or
 *                       from random weights with that vocabulary); null: plain training
 */
public record TrainingSetup(Path runDir, DataSplit data, List<String> labelNames, PretrainedStart start,
                            AlbertConfig modelConfig, TrainingConfig training, long seed,
                            Map<String, Object> dataProvenance, Path projectRoot, Distillation.Teacher teacher) {
    /** Plain training (no teacher). */
    public TrainingSetup(Path runDir, DataSplit data, List<String> labelNames, PretrainedStart start,
                         AlbertConfig modelConfig, TrainingConfig training, long seed, Map<String, Object> dataProvenance,
                         Path projectRoot) {
        this(runDir, data, labelNames, start, modelConfig, training, seed, dataProvenance, projectRoot, null);
    }

    public TrainingSetup {
        modelConfig = modelConfig == null ? AlbertConfig.ALBERT_TINY_ZH : modelConfig;
        labelNames = List.copyOf(labelNames);
        dataProvenance = dataProvenance == null ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(dataProvenance));
        if (labelNames.size() != data.train().numClasses()) {
            throw new IllegalArgumentException(labelNames.size() + " label names for " + data.train().numClasses() + " classes");
        }
        if (data.train().size() == 0 || data.val().size() == 0) {
            throw new IllegalArgumentException("training needs non-empty train and validation splits");
        }
        TrainingConfig.Regularisation reg = training.regularisation();
        if (teacher != null && (reg.fgmEpsilon() > 0 || reg.gradientPenalty() > 0 || reg.labelSmoothing() > 0
                || reg.classWeights() != TrainingConfig.ClassWeights.NONE)) {
            throw new IllegalArgumentException("distillation trains a student with the teacher's loss alone: no FGM,"
                    + " gradient penalty, label smoothing or class weights");
        }
        long present = Arrays.stream(data.train().labels()).distinct().count();
        if (present < 2) {
            throw new IllegalArgumentException("the training split holds texts of one class only ("
                    + labelNames.get(data.train().labels()[0]) + ", " + data.train().size() + " texts): a classifier"
                    + " needs at least two classes to tell apart; check the label column and the split");
        }
    }
}
