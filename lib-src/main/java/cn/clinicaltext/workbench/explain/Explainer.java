package cn.clinicaltext.workbench.explain;

import cn.clinicaltext.workbench.data.Corpus;
import cn.clinicaltext.workbench.data.LabeledText;
import cn.clinicaltext.workbench.io.Progress;
import cn.clinicaltext.workbench.model.AlbertParams;
import cn.clinicaltext.workbench.model.Loss;
import cn.clinicaltext.workbench.model.TextClassifier;
import me.tongfei.progressbar.ProgressBar;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Explains a classifier's predictions token by token with the method, baseline and score of its
 * {@link ExplainSettings}: heatmaps, keyword tables and the diagnostics of {@link PositionProfile},
 * {@link SanityChecks} and {@link Eraser} all start here.
 */
public final class Explainer {
    private final TextClassifier classifier;
    private final ExplainSettings settings;

    private Explainer(TextClassifier classifier, ExplainSettings settings) {
        this.classifier = classifier;
        this.settings = settings;
    }

    /** {@link ExplainSettings#DEFAULT}. */
    public static Explainer of(TextClassifier classifier) {
        return new Explainer(classifier, ExplainSettings.DEFAULT);
    }

    public static Explainer of(TextClassifier classifier, ExplainSettings settings) {
        return new Explainer(classifier, settings);
    }

    /** The same classifier with other settings. */
    public Explainer with(ExplainSettings other) {
        return new Explainer(classifier, other);
    }

    /** The same settings on another classifier (sanity checks). */
    public Explainer on(TextClassifier other) {
        return new Explainer(other, settings);
    }

    public TextClassifier classifier() {
        return classifier;
    }

    public ExplainSettings settings() {
        return settings;
    }

    /** Explains a text whose class is not known. */
    public Attribution explain(String text) {
        return explain(text, Attribution.NO_LABEL);
    }

    public Attribution explain(LabeledText record) {
        return explain(record.text(), record.label());
    }

    /** Explains the settings' target for a text with true class {@code label} (or {@link Attribution#NO_LABEL}). */
    public Attribution explain(String text, int label) {
        AlbertParams params = classifier.params();
        int[] ids = classifier.encode(text).tokenIds();
        float[] probs = EmbeddingGradients.probabilities(params, ids, List.of(ReferenceInput.inputEmbeddings(params, ids)))[0];
        int predicted = Loss.argmax(probs);
        int t = settings.target().resolve(predicted, params.numClasses());
        Raw r = raw(ids, new int[]{t}).get(0);
        float[] inner = new float[ids.length - 2];
        System.arraycopy(r.scores, 1, inner, 0, inner.length);
        String labelName = label == Attribution.NO_LABEL ? null : classifier.labels().get(label);
        return new Attribution(text, tokens(ids), Attribution.scaled(inner, settings.score()), inner, t,
                classifier.labels().get(t), predicted, label, labelName, probs, r.gap, r.steps, settings);
    }

    /**
     * Signed scores of every token of a text toward every class ([classes][tokens], [CLS]/[SEP] excluded), whatever
     * the settings' score and target: the input of class-contrastive keyword tables.
     */
    public float[][] classScores(String text) {
        AlbertParams params = classifier.params();
        int[] ids = classifier.encode(text).tokenIds();
        int k = params.numClasses();
        int[] all = new int[k];
        for (int c = 0; c < k; c++) {
            all[c] = c;
        }
        ExplainSettings signed = settings.with("score", Score.SIGNED);
        List<Raw> raws = with(signed).raw(ids, all);
        float[][] out = new float[k][ids.length - 2];
        for (int c = 0; c < k; c++) {
            System.arraycopy(raws.get(c).scores, 1, out[c], 0, ids.length - 2);
        }
        return out;
    }

    /** Attributions of every text of a corpus (true labels kept), in corpus order, with a progress bar. */
    public List<Attribution> explainAll(Corpus corpus) {
        return explainAll(corpus.records());
    }

    /** Attributions of every record (true labels kept), in input order. */
    public List<Attribution> explainAll(List<LabeledText> records) {
        return explainAll(records.stream().map(LabeledText::text).toList(),
                records.stream().mapToInt(LabeledText::label).toArray());
    }

    /**
     * Attributions toward each record's true class, whatever the settings' target and the model's prediction, in
     * input order: two models explained this way explain the same class of every text, so their maps compare.
     */
    public List<Attribution> explainLabels(List<LabeledText> records) {
        List<Attribution> out = new ArrayList<>();
        for (LabeledText r : records) {
            out.add(with(settings.with("target", Target.of(r.label()))).explain(r));
        }
        return out;
    }

    /** Attributions of texts whose classes are not known, in input order. */
    public List<Attribution> explainTexts(List<String> texts) {
        int[] labels = new int[texts.size()];
        Arrays.fill(labels, Attribution.NO_LABEL);
        return explainAll(texts, labels);
    }

    /**
     * The texts are visited shortest first, so that the progress bar's estimate settles early and consecutive texts
     * reuse buffers of similar size; results come back in input order.
     */
    private List<Attribution> explainAll(List<String> texts, int[] labels) {
        Attribution[] out = new Attribution[texts.size()];
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingInt(i -> texts.get(i).length()));
        try (ProgressBar bar = Progress.bar(settings.method().cliName(), texts.size())) {
            for (int i : order) {
                out[i] = explain(texts.get(i), labels[i]);
                bar.step();
            }
        }
        return List.of(out);
    }

    /** Per-position scores over the whole sequence ([CLS] and [SEP] included) for each target. */
    private record Raw(float[] scores, double gap, int steps) {
    }

    private List<Raw> raw(int[] ids, int[] targets) {
        AlbertParams params = classifier.params();
        int e = params.config().embeddingSize();
        float[] baseline = settings.baseline().embeddings(params, ids, classifier.tokenizer().vocabulary());
        List<Raw> out = new ArrayList<>();
        switch (settings.method()) {
            case INTEGRATED_GRADIENTS -> {
                for (IntegratedGradients.Result r : IntegratedGradients.explain(params, ids, baseline, targets,
                        settings.steps(), settings.maxSteps(), settings.tolerance())) {
                    float[] v = matrixVariant() ? sharedByToken(ids, r.gradients(), difference(params, ids, baseline), e)
                            : r.vectors();
                    out.add(new Raw(reduce(v, ids.length, e), r.gap(), r.steps()));
                }
            }
            case GRADIENT_X_INPUT -> {
                float[] x = ReferenceInput.inputEmbeddings(params, ids);
                float[] diff = difference(params, ids, baseline);
                float[][] inputs = new float[targets.length][];
                Arrays.fill(inputs, x);
                for (float[] g : EmbeddingGradients.of(params, ids, inputs, targets)) {
                    float[] v = matrixVariant() ? sharedByToken(ids, g, diff, e) : product(g, diff);
                    out.add(new Raw(reduce(v, ids.length, e), Double.NaN, 0));
                }
            }
            case OCCLUSION -> {
                for (float[] s : Occlusion.scores(params, ids, baseline, targets, settings.occlusionWindow())) {
                    if (settings.score() == Score.MAGNITUDE) {
                        for (int i = 0; i < s.length; i++) {
                            s[i] = Math.abs(s[i]);
                        }
                    }
                    out.add(new Raw(s, Double.NaN, 0));
                }
            }
        }
        return out;
    }

    private boolean matrixVariant() {
        return settings.variant() == ExplainSettings.Variant.EMBEDDING_MATRIX;
    }

    /** input - baseline, [length * E]. */
    private static float[] difference(AlbertParams params, int[] ids, float[] baseline) {
        float[] d = ReferenceInput.inputEmbeddings(params, ids);
        for (int i = 0; i < d.length; i++) {
            d[i] -= baseline[i];
        }
        return d;
    }

    /** Gradient x (input - baseline), element by element. */
    private static float[] product(float[] gradients, float[] diff) {
        float[] out = new float[diff.length];
        for (int i = 0; i < diff.length; i++) {
            out[i] = gradients[i] * diff[i];
        }
        return out;
    }

    /**
     * The original's embedding-matrix variant: each position's (input - baseline) times the gradient summed over all
     * positions holding the same token (what the gradient with respect to the embedding matrix amounts to).
     */
    private static float[] sharedByToken(int[] ids, float[] gradients, float[] diff, int e) {
        float[] out = new float[ids.length * e];
        for (int t = 0; t < ids.length; t++) {
            for (int u = 0; u < ids.length; u++) {
                if (ids[u] == ids[t]) {
                    for (int i = 0; i < e; i++) {
                        out[t * e + i] += gradients[u * e + i] * diff[t * e + i];
                    }
                }
            }
        }
        return out;
    }

    private float[] reduce(float[] vectors, int length, int width) {
        return settings.score() == Score.SIGNED ? IntegratedGradients.signedSums(vectors, length, width)
                : IntegratedGradients.l2Norms(vectors, length, width);
    }

    /** The tokens attributions are given for: the text's tokens as displayed, [CLS]/[SEP] excluded. */
    public List<String> tokens(String text) {
        return tokens(classifier.encode(text).tokenIds());
    }

    private List<String> tokens(int[] ids) {
        List<String> tokens = new ArrayList<>();
        for (int i = 1; i < ids.length - 1; i++) {
            String token = classifier.tokenizer().vocabulary().token(ids[i]);
            tokens.add(token.startsWith("##") ? token.substring(2) : token);
        }
        return tokens;
    }
}
