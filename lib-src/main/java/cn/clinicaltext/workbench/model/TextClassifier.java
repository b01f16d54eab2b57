package cn.clinicaltext.workbench.model;

import cn.clinicaltext.workbench.tokenizer.BertTokenizer;
import cn.clinicaltext.workbench.tokenizer.Encoding;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Texts in, predictions out: tokenizer, model parameters and class names together. Many texts are sorted by
 * length and run in batches padded only to their longest text; results come back in input order, with no cap on
 * how many texts.
 */
public final class TextClassifier implements AutoCloseable {
    public static final int DEFAULT_BATCH = 64;

    private final AlbertParams params;
    private final BertTokenizer tokenizer;
    private final List<String> labels;
    private final int maxlen;

    public TextClassifier(AlbertParams params, BertTokenizer tokenizer, List<String> labels, int maxlen) {
        if (labels.size() != params.numClasses()) {
            throw new IllegalArgumentException(labels.size() + " label names for " + params.numClasses() + " classes");
        }
        this.params = params;
        this.tokenizer = tokenizer;
        this.labels = List.copyOf(labels);
        params.config().checkMaxlen(maxlen, "maxlen");             // the one rule: refused, never cut down silently
        this.maxlen = maxlen;
    }

    public AlbertParams params() {
        return params;
    }

    /** Frees the parameters' native memory (a loaded model holds tens of MB outside the Java heap). */
    @Override
    public void close() {
        params.close();
    }

    public BertTokenizer tokenizer() {
        return tokenizer;
    }

    public List<String> labels() {
        return labels;
    }

    public int maxlen() {
        return maxlen;
    }

    public Prediction predict(String text) {
        return predict(List.of(text)).get(0);
    }

    public List<Prediction> predict(List<String> texts) {
        float[][] probs = probabilities(texts, DEFAULT_BATCH);
        List<Prediction> out = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            int best = Loss.argmax(probs[i]);
            out.add(new Prediction(texts.get(i), best, labels.get(best), probs[i], labels));
        }
        return out;
    }

    /** Class probabilities of every text, in input order. */
    public float[][] probabilities(List<String> texts, int batchSize) {
        float[][] out = new float[texts.size()][];
        forEachBatch(texts, batchSize, (indices, f) -> {
            float[] p = Loss.softmax(f.logits);
            int k = params.numClasses();
            for (int j = 0; j < indices.length; j++) {
                out[indices[j]] = Arrays.copyOfRange(p, j * k, (j + 1) * k);
            }
        });
        return out;
    }

    /** The final [CLS] vector of every text (for projections and downstream analysis), in input order. */
    public float[][] clsVectors(List<String> texts, int batchSize) {
        float[][] out = new float[texts.size()][];
        int h = params.config().hiddenSize();
        forEachBatch(texts, batchSize, (indices, f) -> {
            float[] cls = f.cls().toArray();
            for (int j = 0; j < indices.length; j++) {
                out[indices[j]] = Arrays.copyOfRange(cls, j * h, (j + 1) * h);
            }
        });
        return out;
    }

    /**
     * The final hidden state of every real token of every text ([CLS] and [SEP] included, padding not), in input
     * order: text i's array holds its tokens' vectors one after another (tokens x hidden).
     */
    public float[][] tokenVectors(List<String> texts, int batchSize) {
        float[][] out = new float[texts.size()][];
        int h = params.config().hiddenSize();
        forEachBatch(texts, batchSize, (indices, f) -> {
            int len = f.output().rows() / indices.length;
            float[] mask = f.batch().mask();
            for (int j = 0; j < indices.length; j++) {
                int n = 0;
                while (n < len && mask[j * len + n] != 0f) {
                    n++;
                }
                float[] v = new float[n * h];
                f.output().buffer().get(j * len * h, v);
                out[indices[j]] = v;
            }
        });
        return out;
    }

    /** Token ids of a text as this classifier reads it ([CLS] ... [SEP], cut to maxlen). */
    public Encoding encode(String text) {
        return tokenizer.encode(text, maxlen);
    }

    @FunctionalInterface
    interface BatchConsumer {
        void accept(int[] indices, SequenceClassifier.Forward forward);
    }

    private void forEachBatch(List<String> texts, int batchSize, BatchConsumer consumer) {
        List<int[]> encoded = new ArrayList<>(texts.size());
        for (String t : texts) {
            encoded.add(encode(t).tokenIds());
        }
        Integer[] order = new Integer[texts.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingInt(i -> encoded.get(i).length));
        for (int start = 0; start < order.length; start += batchSize) {
            int end = Math.min(order.length, start + batchSize);
            int[] indices = new int[end - start];
            List<int[]> seqs = new ArrayList<>();
            for (int j = start; j < end; j++) {
                indices[j - start] = order[j];
                seqs.add(encoded.get(order[j]));
            }
            try (var f = SequenceClassifier.forward(params, Batch.of(seqs), null, false)) {
                consumer.accept(indices, f);
            }
        }
    }
}
