package cn.clinicaltext.workbench.samediff;

import cn.clinicaltext.workbench.data.Corpus;
import cn.clinicaltext.workbench.data.DataSplit;
import cn.clinicaltext.workbench.eval.Baseline;
import cn.clinicaltext.workbench.eval.ClassificationReport;
import cn.clinicaltext.workbench.eval.ModelEvaluation;
import cn.clinicaltext.workbench.eval.RunComparison;
import cn.clinicaltext.workbench.model.AlbertConfig;
import cn.clinicaltext.workbench.model.Dropout;
import cn.clinicaltext.workbench.model.Loss;
import cn.clinicaltext.workbench.model.Tensor;
import cn.clinicaltext.workbench.model.TextClassifier;
import cn.clinicaltext.workbench.train.EpochStats;
import cn.clinicaltext.workbench.train.History;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * An experiment the engine does not cover, written in SameDiff on top of it: the engine's fine-tuned encoder is
 * frozen, its final token vectors are computed once, and a new head is trained on them:
 * <pre>
 *   m = mean of the text's token vectors (padding excluded)
 *   logits = drop(act(m @ W1 + b1)) @ W2 + b2          act: the encoder's activation (GELU, tanh form)
 * </pre>
 * with softmax cross-entropy and ND4J's Adam, by {@code SameDiff.fit}. The epoch with the best validation accuracy
 * is kept; the test split is scored once, beside the standard classifier ([CLS] + linear, fine-tuned with the
 * encoder) on the same texts with a paired test. Memory: the token vectors of every training and validation text are
 * held (tokens x hidden x 4 bytes; 1.8 k demo texts of ~60 tokens: about 140 MB).
 */
public final class MeanPoolingHead {
    public static final String TOKEN_VECTORS = "token_vectors";
    public static final String MASK = "attention_mask";
    public static final String DROPOUT = "dropout/head";
    public static final String LABELS = "labels";
    public static final String LOGITS = "logits";
    public static final String LOSS = "loss";

    static {
        Nd4jRuntime.start();
    }

    private final SameDiff sd;
    private final HeadSettings settings;
    private final int hidden;
    private final List<String> labels;
    private final History history;
    private final int bestEpoch;
    private final double seconds;

    private MeanPoolingHead(SameDiff sd, HeadSettings settings, int hidden, List<String> labels, History history,
                            int bestEpoch, double seconds) {
        this.sd = sd;
        this.settings = settings;
        this.hidden = hidden;
        this.labels = labels;
        this.history = history;
        this.bestEpoch = bestEpoch;
        this.seconds = seconds;
    }

    /** Trains the head on the encoder's frozen token vectors of the split's training texts, validating each epoch. */
    public static MeanPoolingHead train(TextClassifier encoder, DataSplit split, HeadSettings settings) {
        long t0 = System.nanoTime();
        AlbertConfig c = encoder.params().config();
        int h = c.hiddenSize();
        int classes = encoder.labels().size();
        float[][] train = encoder.tokenVectors(split.train().texts(), TextClassifier.DEFAULT_BATCH);
        float[][] val = encoder.tokenVectors(split.val().texts(), TextClassifier.DEFAULT_BATCH);
        int[] trainLabels = split.train().labels();
        int[] valLabels = split.val().labels();

        SameDiff sd = graph(c, classes, settings);
        sd.setTrainingConfig(TrainingConfig.builder()
                .updater(new Adam(settings.learningRate()))
                .dataSetFeatureMapping(TOKEN_VECTORS, MASK, DROPOUT)
                .dataSetLabelMapping(LABELS)
                .build());
        Nd4jRuntime.createGradients(sd);
        Random order = new Random(settings.seed());
        History history = new History();
        Map<String, INDArray> best = snapshot(sd);
        double bestAccuracy = -1;
        int bestEpoch = 0;
        long step = 0;
        for (int epoch = 1; epoch <= settings.epochs(); epoch++) {
            long e0 = System.nanoTime();
            List<Integer> shuffled = new ArrayList<>();
            for (int i = 0; i < train.length; i++) {
                shuffled.add(i);
            }
            Collections.shuffle(shuffled, order);
            double lossSum = 0;
            int correct = 0;
            for (int start = 0; start < shuffled.size(); start += settings.batchSize()) {
                int[] idx = shuffled.subList(start, Math.min(shuffled.size(), start + settings.batchSize()))
                        .stream().mapToInt(Integer::intValue).toArray();
                step++;
                Map<String, INDArray> in = inputs(train, idx, trainLabels, h, settings, step);
                // SameDiff.fit reports no loss (M2.1): the loss and logits of this step's batch, before its update
                Map<String, INDArray> out = sd.output(in, LOSS, LOGITS);
                lossSum += out.get(LOSS).getDouble(0) * idx.length;
                correct += correct(out.get(LOGITS), idx, trainLabels);
                sd.fit(new MultiDataSet(new INDArray[]{in.get(TOKEN_VECTORS), in.get(MASK), in.get(DROPOUT)},
                        new INDArray[]{in.get(LABELS)}));
            }
            Scores v = score(sd, val, valLabels, h, settings, encoder.labels());
            history.add(new EpochStats(epoch, step, settings.learningRate(), lossSum / train.length,
                    (double) correct / train.length, v.loss, v.accuracy, v.macroF1, Double.NaN,
                    (System.nanoTime() - e0) / 1e9));
            if (v.accuracy > bestAccuracy) {
                bestAccuracy = v.accuracy;
                bestEpoch = epoch;
                best = snapshot(sd);
            }
        }
        restore(sd, best);
        return new MeanPoolingHead(sd, settings, h, encoder.labels(), history, bestEpoch,
                (System.nanoTime() - t0) / 1e9);
    }

    /** The head's graph: placeholders, the two dense layers (seeded Glorot-uniform start), logits and loss. */
    static SameDiff graph(AlbertConfig c, int classes, HeadSettings s) {
        int h = c.hiddenSize();
        int u = s.hiddenUnits();
        Random init = new Random(s.seed());
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder(TOKEN_VECTORS, DataType.FLOAT, -1, -1, h);
        SDVariable mask = sd.placeHolder(MASK, DataType.FLOAT, -1, -1);
        SDVariable drop = sd.placeHolder(DROPOUT, DataType.FLOAT, -1, u);
        SDVariable labels = sd.placeHolder(LABELS, DataType.INT, -1);
        SDVariable w1 = sd.var("head/dense_1/kernel", glorot(init, h, u));
        SDVariable b1 = sd.var("head/dense_1/bias", Nd4j.zeros(DataType.FLOAT, u));
        SDVariable w2 = sd.var("head/dense_2/kernel", glorot(init, u, classes));
        SDVariable b2 = sd.var("head/dense_2/bias", Nd4j.zeros(DataType.FLOAT, classes));
        // masked mean over the tokens: sum_t x[b,t] mask[b,t] / sum_t mask[b,t]
        SDVariable pooled = x.mul(sd.expandDims(mask, 2)).sum(1).div(mask.sum(true, 1));
        SDVariable hiddenLayer = AlbertTwin.activation(sd, c, pooled.mmul(w1).add(b1)).mul(drop);
        SDVariable logits = sd.identity(LOGITS, hiddenLayer.mmul(w2).add(b2));
        SDVariable shifted = logits.sub(logits.max(true, 1));
        SDVariable logP = shifted.sub(sd.math.log(sd.math.exp(shifted).sum(true, 1)));
        SDVariable onehot = sd.oneHot(labels, classes, -1, 1.0, 0.0, DataType.FLOAT);
        sd.mean(LOSS, onehot.mul(logP).sum(1).neg());
        sd.setLossVariables(LOSS);
        return sd;
    }

    private static INDArray glorot(Random r, int in, int out) {
        double limit = Math.sqrt(6.0 / (in + out));
        float[] v = new float[in * out];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) ((r.nextDouble() * 2 - 1) * limit);
        }
        return Nd4j.create(v, new long[]{in, out}, 'c');
    }

    /**
     * One batch: token vectors padded to its longest text, mask, labels, and the dropout scales of this step (the
     * engine's counter-based masks, so a run is reproducible) or ones when step is 0 (evaluation).
     */
    static Map<String, INDArray> inputs(float[][] vectors, int[] idx, int[] labels, int h, HeadSettings s, long step) {
        int n = idx.length;
        int len = 0;
        for (int i : idx) {
            len = Math.max(len, vectors[i].length / h);
        }
        float[] x = new float[n * len * h];
        float[] mask = new float[n * len];
        int[] y = new int[n];
        for (int j = 0; j < n; j++) {
            float[] v = vectors[idx[j]];
            System.arraycopy(v, 0, x, j * len * h, v.length);
            Arrays.fill(mask, j * len, j * len + v.length / h, 1f);
            y[j] = labels[idx[j]];
        }
        float[] scales;
        if (step == 0 || s.dropout() == 0f) {
            scales = new float[n * s.hiddenUnits()];
            Arrays.fill(scales, 1f);
        } else {
            scales = Dropout.forStep(s.seed(), step, 0f, 0f, s.dropout())
                    .scales(Dropout.SITE_CLASSIFIER, n * s.hiddenUnits(), s.dropout());
        }
        Map<String, INDArray> in = new HashMap<>();
        in.put(TOKEN_VECTORS, Nd4j.create(x, new long[]{n, len, h}, 'c'));
        in.put(MASK, Nd4j.create(mask, new long[]{n, len}, 'c'));
        in.put(DROPOUT, Nd4j.create(scales, new long[]{n, s.hiddenUnits()}, 'c'));
        in.put(LABELS, Nd4j.createFromArray(y));
        return in;
    }

    private static int correct(INDArray logits, int[] idx, int[] labels) {
        float[] z = logits.dup().data().asFloat();
        int k = (int) logits.size(1);
        int n = 0;
        for (int j = 0; j < idx.length; j++) {
            n += Loss.argmax(z, j * k, k) == labels[idx[j]] ? 1 : 0;
        }
        return n;
    }

    private record Scores(double loss, double accuracy, double macroF1, float[][] probabilities) {
    }

    private static Scores score(SameDiff sd, float[][] vectors, int[] labels, int h, HeadSettings s,
                                List<String> names) {
        float[][] probs = new float[vectors.length][];
        double loss = 0;
        int[] pred = new int[vectors.length];
        for (int start = 0; start < vectors.length; start += TextClassifier.DEFAULT_BATCH) {
            int end = Math.min(vectors.length, start + TextClassifier.DEFAULT_BATCH);
            int[] idx = new int[end - start];
            for (int j = 0; j < idx.length; j++) {
                idx[j] = start + j;
            }
            Map<String, INDArray> out = sd.output(inputs(vectors, idx, labels, h, s, 0), LOSS, LOGITS);
            loss += out.get(LOSS).getDouble(0) * idx.length;
            int k = names.size();
            float[] p;
            try (Tensor logits = Tensor.of(out.get(LOGITS).dup().data().asFloat(), idx.length, k)) {
                p = Loss.softmax(logits);
            }
            for (int j = 0; j < idx.length; j++) {
                probs[idx[j]] = Arrays.copyOfRange(p, j * k, (j + 1) * k);
                pred[idx[j]] = Loss.argmax(probs[idx[j]]);
            }
        }
        ClassificationReport r = ClassificationReport.of(labels, pred, names);
        return new Scores(loss / vectors.length, r.accuracy(), r.macroF1(), probs);
    }

    private static Map<String, INDArray> snapshot(SameDiff sd) {
        Map<String, INDArray> m = new LinkedHashMap<>();
        for (String name : Nd4jRuntime.trainable(sd)) {
            m.put(name, sd.getVariable(name).getArr().dup());
        }
        return m;
    }

    private static void restore(SameDiff sd, Map<String, INDArray> saved) {
        saved.forEach((name, arr) -> sd.getVariable(name).getArr().assign(arr));
    }

    /** The class probabilities of the texts, through the frozen encoder and this head (no dropout). */
    public float[][] probabilities(TextClassifier encoder, Corpus corpus) {
        float[][] vectors = encoder.tokenVectors(corpus.texts(), TextClassifier.DEFAULT_BATCH);
        return score(sd, vectors, corpus.labels(), hidden, settings, labels).probabilities();
    }

    /**
     * The head and the standard classifier (the encoder's own [CLS] + linear layer) scored once on the same test
     * texts, each with bootstrap intervals and beside the baseline, and paired (McNemar, paired bootstrap).
     */
    public RunComparison compareWithClassifier(TextClassifier encoder, Corpus test, Baseline baseline) {
        ModelEvaluation standard = ModelEvaluation.of(encoder, test, "test", baseline);
        ModelEvaluation head = ModelEvaluation.of(probabilities(encoder, test), labels, test, "test", baseline);
        Map<String, String> standardSettings = new LinkedHashMap<>();
        standardSettings.put("head", "[CLS] + linear");
        standardSettings.put("encoder", "fine-tuned");
        Map<String, String> headSettings = new LinkedHashMap<>();
        headSettings.put("head", "mean pooling + " + settings.hiddenUnits() + "-unit layer + linear");
        headSettings.put("encoder", "frozen");
        // both scored on this very corpus: the pair is always on the same texts (an in-memory corpus has no hash)
        String sameTexts = test.sha256() != null ? test.sha256() : "this corpus of " + test.size() + " texts";
        return RunComparison.of(List.of(
                new RunComparison.Run("standard classifier", standardSettings, List.of(standard), sameTexts),
                new RunComparison.Run("SameDiff head", headSettings, List.of(head), sameTexts)));
    }

    public History history() {
        return history;
    }

    public int bestEpoch() {
        return bestEpoch;
    }

    public HeadSettings settings() {
        return settings;
    }

    public SameDiff graph() {
        return sd;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "SameDiff head: %d epochs in %.1f s, best epoch %d (val accuracy"
                        + " %.4f); %s", history.size(), seconds, bestEpoch,
                bestEpoch > 0 ? history.rows().get(bestEpoch - 1).valAccuracy() : Double.NaN, settings);
    }
}
