package cn.clinicaltext.workbench.explain;

import cn.clinicaltext.workbench.data.Corpus;
import cn.clinicaltext.workbench.data.DataSplit;
import cn.clinicaltext.workbench.data.LabeledText;
import cn.clinicaltext.workbench.eval.Bootstrap;
import cn.clinicaltext.workbench.model.AlbertConfig;
import cn.clinicaltext.workbench.model.AlbertParams;
import cn.clinicaltext.workbench.model.LayerNames;
import cn.clinicaltext.workbench.model.Tensor;
import cn.clinicaltext.workbench.model.TextClassifier;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Sanity checks for saliency maps (Adebayo et al. 2018): a map that barely changes when the model's parameters are
 * replaced by random ones, or when the model was trained on permuted labels, says more about the input than about
 * the model. Each check reports the mean Spearman rank correlation between the original maps and the changed
 * model's maps over the same texts, for signed scores and for their absolute values, with bootstrap intervals; low
 * correlations are what a trustworthy method shows.
 *
 * <p>Cascading randomisation goes from the output down, each stage keeping the earlier ones randomised: the
 * classifier, then the feed-forward block, then the attention block, then the embeddings. ALBERT shares one set of
 * layer weights across its layers, so a block is randomised in every layer at once. Random values come from the
 * model's own initialisation (truncated normal with the config's initializer range, zero biases, unit LayerNorm).
 */
public final class SanityChecks {
    private SanityChecks() {
    }

    /** One changed model compared with the original. */
    public record Row(String stage, int texts, Bootstrap.Interval signedCorrelation,
                      Bootstrap.Interval absoluteCorrelation, double accuracy) {
    }

    /**
     * The cascade's stages and the parameters each adds to the randomised set, for a model with this config: the
     * feed-forward and attention blocks of every layer group (one in an ALBERT, one per layer in a BERT).
     */
    static Map<String, List<String>> stages(AlbertConfig c) {
        Map<String, List<String>> s = new LinkedHashMap<>();
        s.put("classifier", List.of(AlbertParams.CLS_KERNEL, AlbertParams.CLS_BIAS));
        List<String> ffn = new ArrayList<>();
        List<String> attention = new ArrayList<>();
        for (int g = 0; g < c.numHiddenGroups(); g++) {
            ffn.addAll(LayerNames.of(g).feedForwardBlock());
            attention.addAll(LayerNames.of(g).attentionBlock());
        }
        s.put("+ feed-forward block", ffn);
        s.put("+ attention block", attention);
        s.put("+ embeddings", List.of(AlbertParams.WORD, AlbertParams.POSITION, AlbertParams.TOKEN_TYPE,
                AlbertParams.EMB_LN_GAMMA, AlbertParams.EMB_LN_BETA, AlbertParams.MAP_KERNEL, AlbertParams.MAP_BIAS));
        return s;
    }

    /**
     * Cascading model-parameter randomisation: explains {@code records} after each stage and compares the maps with
     * {@code original}, the unchanged model's maps of the same records. The first row is the trained model itself
     * (correlation 1, its accuracy), for reference.
     */
    public static List<Row> cascade(Explainer explainer, List<LabeledText> records, List<Attribution> original,
                                    long seed) {
        TextClassifier model = explainer.classifier();
        AlbertParams params = model.params();
        List<Row> rows = new ArrayList<>();
        rows.add(compare("trained model (reference)", original, original, seed));
        List<String> randomised = new ArrayList<>();
        try (AlbertParams fresh = AlbertParams.initialise(params.config(), params.numClasses(), seed)) {
            for (Map.Entry<String, List<String>> stage : stages(params.config()).entrySet()) {
                randomised.addAll(stage.getValue());
                Map<String, Tensor> tensors = new LinkedHashMap<>();
                for (Map.Entry<String, int[]> e : AlbertParams.shapes(params.config(), params.numClasses()).entrySet()) {
                    String name = e.getKey();
                    tensors.put(name, (randomised.contains(name) ? fresh : params).get(name).copy());
                }
                try (AlbertParams changed = AlbertParams.of(params.config(), params.numClasses(), tensors)) {
                    TextClassifier other = new TextClassifier(changed.withPooling(params.pooling()), model.tokenizer(),
                            model.labels(), model.maxlen());
                    rows.add(compare(stage.getKey(), original, explainer.on(other).explainAll(records), seed));
                }
            }
        }
        return rows;
    }

    /**
     * The split with its training and validation labels shuffled (seeded; texts and class counts unchanged, test
     * untouched): train a model on it for the data-randomisation check.
     */
    public static DataSplit permutedLabels(DataSplit split, long seed) {
        Random random = new Random(seed);
        return new DataSplit(permuted(split.train(), random), permuted(split.val(), random), split.test(), split.seed(),
                split.ratios());
    }

    private static Corpus permuted(Corpus corpus, Random random) {
        List<Integer> labels = new ArrayList<>();
        corpus.records().forEach(r -> labels.add(r.label()));
        Collections.shuffle(labels, random);
        List<LabeledText> out = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            out.add(new LabeledText(corpus.records().get(i).text(), labels.get(i), corpus.records().get(i).line()));
        }
        return corpus.withRecords(out);
    }

    /** The original maps against another model's maps of the same texts (e.g. one trained on permuted labels). */
    public static Row compare(String what, List<Attribution> original, List<Attribution> other, long seed) {
        int n = original.size();
        double[] signed = new double[n];
        double[] absolute = new double[n];
        SpearmansCorrelation spearman = new SpearmansCorrelation();
        int labelled = 0;
        int correct = 0;
        for (int t = 0; t < n; t++) {
            float[] a = original.get(t).raw();
            float[] b = other.get(t).raw();
            if (a.length != b.length) {
                throw new IllegalArgumentException("text " + t + " has " + a.length + " tokens in one map and "
                        + b.length + " in the other: not the same texts, or models with different maxlen or vocabularies");
            }
            signed[t] = a.length < 3 ? Double.NaN : correlation(spearman, a, b, false);
            absolute[t] = a.length < 3 ? Double.NaN : correlation(spearman, a, b, true);
            Attribution o = other.get(t);
            if (o.hasLabel()) {
                labelled++;
                correct += o.predicted() == o.label() ? 1 : 0;
            }
        }
        return new Row(what, n, Bootstrap.mean(signed, Bootstrap.DEFAULT_RESAMPLES, seed),
                Bootstrap.mean(absolute, Bootstrap.DEFAULT_RESAMPLES, seed + 1),
                labelled == 0 ? Double.NaN : (double) correct / labelled);
    }

    /** Spearman's rho; NaN when either side is constant (a randomised model can give all-zero maps). */
    private static double correlation(SpearmansCorrelation s, float[] a, float[] b, boolean absolute) {
        double[] x = new double[a.length];
        double[] y = new double[b.length];
        for (int i = 0; i < a.length; i++) {
            x[i] = absolute ? Math.abs(a[i]) : a[i];
            y[i] = absolute ? Math.abs(b[i]) : b[i];
        }
        double r = s.correlation(x, y);
        return Double.isFinite(r) ? r : Double.NaN;
    }

    public static Table toTable(List<Row> rows, String title) {
        StringColumn stage = StringColumn.create("model");
        StringColumn signed = StringColumn.create("Spearman, signed scores");
        StringColumn absolute = StringColumn.create("Spearman, |scores|");
        StringColumn accuracy = StringColumn.create("accuracy");
        for (Row r : rows) {
            stage.append(r.stage());
            signed.append(Eraser.format(r.signedCorrelation()));
            absolute.append(Eraser.format(r.absoluteCorrelation()));
            accuracy.append(Double.isNaN(r.accuracy()) ? "" : String.format(Locale.ROOT, "%.3f", r.accuracy()));
        }
        return Table.create(title, stage, signed, absolute, accuracy);
    }
}
