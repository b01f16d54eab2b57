package cn.clinicaltext.workbench.eval;

import cn.clinicaltext.workbench.model.TextClassifier;

import java.util.List;

/**
 * A classifier's probabilities of some texts and how fast it produced them: {@value #TIMED_PASSES} passes over the
 * texts in batches of {@link TextClassifier#DEFAULT_BATCH}, after a warm-up batch (the first batch of a process pays
 * for class loading, JIT compilation and buffer allocation, which a text-per-second figure should not include); the
 * fastest pass counts, the one least disturbed by other work on the machine (a pass of a few seconds is at the
 * mercy of whatever else runs in them, and a ratio of two models takes both passes' noise). Two models timed on the same
 * texts in one process, one after the other, compare fairly; the figure is this machine's.
 *
 * @param probabilities the class probabilities of each text, in order (the same in every pass)
 * @param seconds       wall time of the fastest timed pass
 */
public record ModelSpeed(float[][] probabilities, double seconds) {
    /** Timed passes over the texts; the fastest counts. */
    public static final int TIMED_PASSES = 2;

    public static ModelSpeed inference(TextClassifier classifier, List<String> texts) {
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("no texts to time the model on");
        }
        classifier.probabilities(texts.subList(0, Math.min(texts.size(), TextClassifier.DEFAULT_BATCH)),
                TextClassifier.DEFAULT_BATCH);
        float[][] probs = null;
        double fastest = Double.POSITIVE_INFINITY;
        for (int pass = 0; pass < TIMED_PASSES; pass++) {
            long t0 = System.nanoTime();
            probs = classifier.probabilities(texts, TextClassifier.DEFAULT_BATCH);
            fastest = Math.min(fastest, (System.nanoTime() - t0) / 1e9);
        }
        return new ModelSpeed(probs, fastest);
    }

    public double textsPerSecond() {
        return probabilities.length / seconds;
    }
}
