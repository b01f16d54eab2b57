package cn.clinicaltext.workbench.train;

import cn.clinicaltext.workbench.model.SequenceClassifier;
import cn.clinicaltext.workbench.model.AlbertParams;
import cn.clinicaltext.workbench.model.Loss;

import java.util.Arrays;

/**
 * Loss, accuracy and class probabilities of a model on an encoded split (inference passes only).
 *
 * @param probabilities [texts][classes] in the split's order
 */
public record Evaluation(double loss, double accuracy, float[][] probabilities, int[] labels) {

    public static Evaluation of(AlbertParams params, EncodedSet set, int batchSize) {
        int classes = params.numClasses();
        float[][] probs = new float[set.size()][];
        int[] labels = set.labels();
        double lossSum = 0;
        int correct = 0;
        for (int[] indices : set.evalBatches(batchSize)) {
            EncodedSet.LabeledBatch b = set.batch(indices);
            try (var f = SequenceClassifier.forward(params, b.batch(), null, false)) {
                float[] p = Loss.softmax(f.logits);
                for (int j = 0; j < indices.length; j++) {
                    float[] row = Arrays.copyOfRange(p, j * classes, (j + 1) * classes);
                    probs[indices[j]] = row;
                    lossSum -= Math.log(Math.max(row[b.labels()[j]], 1e-12f));
                    correct += Loss.argmax(row) == b.labels()[j] ? 1 : 0;
                }
            }
        }
        int n = Math.max(1, set.size());
        return new Evaluation(lossSum / n, (double) correct / n, probs, labels);
    }

    /** Unweighted mean of the per-class F1 scores (a class never predicted nor present counts as F1 0). */
    public double macroF1() {
        int k = probabilities.length == 0 ? 0 : probabilities[0].length;
        int[] tp = new int[k];
        int[] fp = new int[k];
        int[] fn = new int[k];
        int[] pred = predictions();
        for (int i = 0; i < pred.length; i++) {
            if (pred[i] == labels[i]) {
                tp[pred[i]]++;
            } else {
                fp[pred[i]]++;
                fn[labels[i]]++;
            }
        }
        double sum = 0;
        for (int c = 0; c < k; c++) {
            int denom = 2 * tp[c] + fp[c] + fn[c];
            sum += denom == 0 ? 0 : 2.0 * tp[c] / denom;
        }
        return k == 0 ? 0 : sum / k;
    }

    public int[] predictions() {
        int[] out = new int[probabilities.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Loss.argmax(probabilities[i]);
        }
        return out;
    }
}
