package cn.clinicaltext.workbench.explain;

import cn.clinicaltext.workbench.data.Corpus;
import cn.clinicaltext.workbench.data.LabeledText;
import cn.clinicaltext.workbench.io.Progress;
import cn.clinicaltext.workbench.model.AlbertClassifier;
import cn.clinicaltext.workbench.model.AlbertParams;
import cn.clinicaltext.workbench.model.Batch;
import cn.clinicaltext.workbench.model.Loss;
import cn.clinicaltext.workbench.model.Tensor;
import cn.clinicaltext.workbench.model.TextClassifier;
import me.tongfei.progressbar.ProgressBar;

import java.util.ArrayList;
import java.util.List;

/**
 * Explains a classifier's predictions with integrated gradients over the word embeddings: per-token scores for
 * heatmaps and keyword tables.
 */
public final class Explainer {
    /** How a token's attribution vector becomes one score. */
    public enum Reduction { L2_NORM, SIGNED_SUM }

    /**
     * PER_POSITION: gradient x input of each position's embedding (standard IG). EMBEDDING_MATRIX: the original
     * project's variant, which took the gradient with respect to the whole embedding matrix, so every occurrence
     * of a character shares the summed gradient of all its positions.
     */
    public enum Variant { PER_POSITION, EMBEDDING_MATRIX }

    public static final int DEFAULT_STEPS = 20;

    private final TextClassifier classifier;
    private final int steps;
    private final Reduction reduction;
    private final Variant variant;

    public Explainer(TextClassifier classifier, int steps, Reduction reduction, Variant variant) {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be positive");
        }
        this.classifier = classifier;
        this.steps = steps;
        this.reduction = reduction;
        this.variant = variant;
    }

    /** 20 steps, L2 norm, per position: the original's settings with standard IG. */
    public static Explainer of(TextClassifier classifier) {
        return new Explainer(classifier, DEFAULT_STEPS, Reduction.L2_NORM, Variant.PER_POSITION);
    }

    public TextClassifier classifier() {
        return classifier;
    }

    /** Explains the predicted class of a text. */
    public Attribution explain(String text) {
        return explain(text, -1, -1);
    }

    /** Explains {@code target} (or the predicted class when negative); {@code label} is the true class if known. */
    public Attribution explain(String text, int target, int label) {
        AlbertParams params = classifier.params();
        int[] ids = classifier.encode(text).tokenIds();
        float[] probs = probabilities(params, ids, null);
        int predicted = Loss.argmax(probs);
        int t = target >= 0 ? target : predicted;
        IntegratedGradients.Result r = IntegratedGradients.explain(params, ids, t, steps);
        float[] vectors = variant == Variant.EMBEDDING_MATRIX ? sharedByCharacter(r, ids, params) : r.vectors();
        IntegratedGradients.Result used = new IntegratedGradients.Result(vectors, r.gradients(), r.length(), r.width(), t,
                r.pathProbs());
        float[] all = reduction == Reduction.L2_NORM ? used.l2Scores() : used.signedScores();
        double signedTotal = 0;
        for (float s : r.signedScores()) {
            signedTotal += s;
        }
        float baseline;
        try (Tensor zeros = Tensor.zeros(ids.length, params.config().embeddingSize())) {
            baseline = probabilities(params, ids, zeros)[t];
        }
        double gap = signedTotal - (probs[t] - baseline);
        List<String> tokens = new ArrayList<>();
        float[] raw = new float[ids.length - 2];
        for (int i = 1; i < ids.length - 1; i++) {
            tokens.add(display(classifier.tokenizer().vocabulary().token(ids[i])));
            raw[i - 1] = all[i];
        }
        return new Attribution(text, tokens, normalise(raw), raw, t, classifier.labels().get(t), predicted, label,
                probs[t], gap);
    }

    /** Attributions of every text of a corpus (true labels kept), with a progress bar. */
    public List<Attribution> explainAll(Corpus corpus) {
        List<Attribution> out = new ArrayList<>(corpus.size());
        try (ProgressBar bar = Progress.bar("integrated gradients", corpus.size())) {
            for (LabeledText r : corpus.records()) {
                out.add(explain(r.text(), -1, r.label()));
                bar.step();
            }
        }
        return out;
    }

    /** Each position's embedding times the gradient summed over all positions holding the same token. */
    private static float[] sharedByCharacter(IntegratedGradients.Result r, int[] ids, AlbertParams params) {
        int e = r.width();
        float[] out = new float[r.vectors().length];
        float[] emb = new float[e];
        var word = params.get(AlbertParams.WORD).buffer();
        for (int t = 0; t < ids.length; t++) {
            word.get(ids[t] * e, emb);
            for (int u = 0; u < ids.length; u++) {
                if (ids[u] == ids[t]) {
                    for (int i = 0; i < e; i++) {
                        out[t * e + i] += r.gradients()[u * e + i] * emb[i];
                    }
                }
            }
        }
        return out;
    }

    static float[] probabilities(AlbertParams params, int[] ids, Tensor wordEmbeddings) {
        try (var f = AlbertClassifier.forward(params, Batch.of(List.of(ids)), wordEmbeddings, false)) {
            return Loss.softmax(f.logits);
        }
    }

    private static String display(String token) {
        return token.startsWith("##") ? token.substring(2) : token;
    }

    /** Min-max normalisation to 0..1 (all zeros when the scores are all equal). */
    static float[] normalise(float[] raw) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : raw) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        float[] out = new float[raw.length];
        if (raw.length == 0 || max <= min) {
            return out;
        }
        for (int i = 0; i < raw.length; i++) {
            out[i] = (raw[i] - min) / (max - min);
        }
        return out;
    }
}
