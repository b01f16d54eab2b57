package cn.clinicaltext.workbench.eval;

import cn.clinicaltext.workbench.model.TextClassifier;

import java.util.List;

/**
 * A classifier's probabilities of some texts and how fast it produced them: one pass over the texts in batches of
 * {@link TextClassifier#DEFAULT_BATCH}, after a warm-up batch (the first batch of a process pays for class loading,
 * JIT compilation and buffer allocation, which a text-per-second figure should not include). Two models timed on
 * the same texts in one process, one after the other, compare fairly; the figure is this machine's.
 *
 * @param probabilities the class probabilities of each text, in order
 * @param seconds       wall time of the timed pass
 */
public record ModelSpeed(float[][] probabilities, double seconds) {

    public static ModelSpeed inference(TextClassifier classifier, List<String> texts) {
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("no texts to time the model on");
        }
        classifier.probabilities(texts.subList(0, Math.min(texts.size(), TextClassifier.DEFAULT_BATCH)),
                TextClassifier.DEFAULT_BATCH);
        long t0 = System.nanoTime();
        float[][] probs = classifier.probabilities(texts, TextClassifier.DEFAULT_BATCH);
        return new ModelSpeed(probs, (System.nanoTime() - t0) / 1e9);
    }

    public double textsPerSecond() {
        return probabilities.length / seconds;
    }
}
