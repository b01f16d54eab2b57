package cn.clinicaltext.workbench.train;

import cn.clinicaltext.workbench.model.SequenceClassifier;
import cn.clinicaltext.workbench.model.AlbertParams;
import cn.clinicaltext.workbench.model.Dropout;
import cn.clinicaltext.workbench.model.Loss;
import cn.clinicaltext.workbench.model.Tensor;

import cn.clinicaltext.workbench.train.TrainingLoop.Step;

import java.nio.FloatBuffer;

/**
 * One training step's gradients: plain, with FGM adversarial training, or with the gradient penalty, as the
 * original project offered them (both act on the word-embedding table).
 */
public final class Regularisers {
    private Regularisers() {
    }

    /**
     * What one step minimises: cross-entropy with label smoothing and class weights
     * ({@link Loss#smoothedWeightedCrossEntropy}), under this step's dropout masks.
     *
     * @param labelSmoothing epsilon, 0 = off
     * @param classWeights   per-class weights, null = all 1
     * @param dropout        this step's masks (null: none); FGM's and the penalty's extra passes reuse them
     */
    public record CrossEntropy(float labelSmoothing, float[] classWeights, Dropout dropout) {
        public static final CrossEntropy PLAIN = new CrossEntropy(0f, null, null);
    }

    /** Cross-entropy gradients of one batch added into grads (the step: its loss, texts, right answers, tokens). */
    public static Step plainStep(AlbertParams params, AlbertParams grads, EncodedSet.LabeledBatch b) {
        return plainStep(params, grads, b, CrossEntropy.PLAIN);
    }

    /** The loss's gradients of one batch added into grads. */
    public static Step plainStep(AlbertParams params, AlbertParams grads, EncodedSet.LabeledBatch b, CrossEntropy o) {
        return step(params, grads, b, o.dropout(), (logits, g) -> Loss.smoothedWeightedCrossEntropy(logits, b.labels(),
                o.labelSmoothing(), o.classWeights(), g));
    }

    /** A loss of a batch's logits [batch, classes], writing d loss / d logits into {@code grad} (row-major). */
    @FunctionalInterface
    public interface LogitsLoss {
        double apply(Tensor logits, float[] grad);
    }

    /**
     * One classifier step under this step's dropout masks: forward, the loss of the logits, backward with its
     * gradients added into grads; the step's loss, texts, right answers and tokens.
     */
    static Step step(AlbertParams params, AlbertParams grads, EncodedSet.LabeledBatch b, Dropout dropout,
                     LogitsLoss lossOfLogits) {
        try (var f = SequenceClassifier.forwardTraining(params, b.batch(), null, dropout)) {
            float[] g = new float[f.logits.size()];
            double loss = lossOfLogits.apply(f.logits, g);
            int correct = correct(f.logits, b.labels());
            try (Tensor d = Tensor.of(g, f.logits.rows(), f.logits.cols())) {
                SequenceClassifier.backward(params, f, d, grads);
            }
            return new Step(loss, b.labels().length, correct, b.batch().tokens(), null);
        }
    }

    /**
     * FGM (Miyato et al. 2017) as bert4keras's adversarial_training: the word-embedding table is moved by
     * epsilon * g / ||g||, where g is its loss gradient; the step's gradients are those of the loss at the moved
     * table, which is then moved back. The reported loss is the adversarial one.
     */
    public static Step fgmStep(AlbertParams params, AlbertParams grads, EncodedSet.LabeledBatch b, float epsilon) {
        return fgmStep(params, grads, b, epsilon, CrossEntropy.PLAIN);
    }

    /** {@link #fgmStep} for a loss. */
    public static Step fgmStep(AlbertParams params, AlbertParams grads, EncodedSet.LabeledBatch b, float epsilon,
                               CrossEntropy o) {
        plainStep(params, grads, b, o);
        Tensor word = params.get(AlbertParams.WORD);
        Tensor g = grads.get(AlbertParams.WORD);
        float norm = l2(g);
        float scale = epsilon / (norm + 1e-8f);
        try (Tensor delta = g.copy()) {
            scaleInPlace(delta, scale);
            addScaled(word, delta, 1f);
            grads.fill(0f);
            try {
                return plainStep(params, grads, b, o);
            } finally {
                addScaled(word, delta, -1f);
            }
        }
    }

    /**
     * Gradient penalty (the original's option): minimises L + epsilon/2 * ||dL/dE||^2 with E the word-embedding
     * table. Its gradient, g + epsilon * H g_E, needs a Hessian-vector product, taken here by a finite difference
     * of gradients along g_E: H v ~ (grad L(E + h v) - grad L(E)) / h. The reported loss includes the penalty.
     */
    public static Step gradientPenaltyStep(AlbertParams params, AlbertParams grads, EncodedSet.LabeledBatch b,
                                           float epsilon) {
        return gradientPenaltyStep(params, grads, b, epsilon, CrossEntropy.PLAIN);
    }

    /** {@link #gradientPenaltyStep} for a loss. */
    public static Step gradientPenaltyStep(AlbertParams params, AlbertParams grads, EncodedSet.LabeledBatch b,
                                           float epsilon, CrossEntropy o) {
        Step clean = plainStep(params, grads, b, o);
        Tensor word = params.get(AlbertParams.WORD);
        Tensor gE = grads.get(AlbertParams.WORD);
        float norm = l2(gE);
        double loss = clean.loss() + 0.5 * epsilon * norm * norm;
        if (norm == 0f) {
            return new Step(loss, clean.predicted(), clean.measure(), clean.tokens(), null);
        }
        float h = 1e-2f / norm;
        try (Tensor v = gE.copy(); AlbertParams moved = grads.zerosLike()) {
            addScaled(word, v, h);
            try {
                plainStep(params, moved, b, o);
            } finally {
                addScaled(word, v, -h);
            }
            // grads += epsilon * (moved - grads) / h
            float k = epsilon / h;
            for (var e : grads.tensors().entrySet()) {
                FloatBuffer gb = e.getValue().buffer();
                FloatBuffer mb = moved.get(e.getKey()).buffer();
                for (int i = 0, n = e.getValue().size(); i < n; i++) {
                    float g = gb.get(i);
                    gb.put(i, g + k * (mb.get(i) - g));
                }
            }
        }
        return new Step(loss, clean.predicted(), clean.measure(), clean.tokens(), null);
    }

    private static void scaleInPlace(Tensor t, float s) {
        FloatBuffer b = t.buffer();
        for (int i = 0, n = t.size(); i < n; i++) {
            b.put(i, b.get(i) * s);
        }
    }

    /** y += a * x. */
    static void addScaled(Tensor y, Tensor x, float a) {
        FloatBuffer yb = y.buffer();
        FloatBuffer xb = x.buffer();
        for (int i = 0, n = y.size(); i < n; i++) {
            yb.put(i, yb.get(i) + a * xb.get(i));
        }
    }

    /** The Euclidean norm of a tensor's elements (FGM's and the gradient penalty's norm of the embedding gradient). */
    static float l2(Tensor t) {
        FloatBuffer b = t.buffer();
        double s = 0;
        for (int i = 0, n = t.size(); i < n; i++) {
            double v = b.get(i);
            s += v * v;
        }
        return (float) Math.sqrt(s);
    }

    /** How many rows of logits have their largest value at the row's label. */
    static int correct(Tensor logits, int[] labels) {
        float[] p = Loss.softmax(logits);
        int k = logits.cols();
        int c = 0;
        for (int i = 0; i < labels.length; i++) {
            c += Loss.argmax(p, i * k, k) == labels[i] ? 1 : 0;
        }
        return c;
    }
}
