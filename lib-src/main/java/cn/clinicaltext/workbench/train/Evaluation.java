package cn.clinicaltext.workbench.train;

import cn.clinicaltext.workbench.model.AlbertClassifier;
import cn.clinicaltext.workbench.model.AlbertParams;
import cn.clinicaltext.workbench.model.Loss;

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
            try (var f = AlbertClassifier.forward(params, b.batch(), null, false)) {
                float[] p = Loss.softmax(f.logits);
                for (int j = 0; j < indices.length; j++) {
                    float[] row = java.util.Arrays.copyOfRange(p, j * classes, (j + 1) * classes);
                    probs[indices[j]] = row;
                    lossSum -= Math.log(Math.max(row[b.labels()[j]], 1e-12f));
                    correct += Loss.argmax(row) == b.labels()[j] ? 1 : 0;
                }
            }
        }
        int n = Math.max(1, set.size());
        return new Evaluation(lossSum / n, (double) correct / n, probs, labels);
    }

    public int[] predictions() {
        int[] out = new int[probabilities.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Loss.argmax(probabilities[i]);
        }
        return out;
    }
}
