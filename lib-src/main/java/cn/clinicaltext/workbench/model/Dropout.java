package cn.clinicaltext.workbench.model;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * Inverted dropout (Srivastava et al. 2014) for one training step: an element is kept with probability 1 - p and
 * scaled by 1 / (1 - p), so evaluation needs no rescaling. Where BERT/ALBERT put it: on the embeddings' output
 * (after their LayerNorm), on the attention probabilities, on the output of each sub-block before its residual
 * sum ({@code hidden_dropout_prob}), and on the [CLS] vector before the classifier.
 * <p>
 * The masks are not stored: whether element {@code i} at site {@code s} is kept is a hash of (key, s, i) (the
 * SplitMix64 finaliser, a counter-based generator), so the backward pass recomputes exactly the forward pass's
 * mask, any thread may draw any element, and a step's masks depend only on its key (the run's seed and the step
 * number): a run stays bit-for-bit reproducible and a resumed run draws the masks an uninterrupted one would have.
 * Forward and backward are the same operation, y = x * s and dx = dy * s with s = mask / (1 - p).
 *
 * @param key        identifies the step (see {@link #forStep}); the same key gives the same masks
 * @param hidden     dropout rate of the embeddings and of each sub-block's output
 * @param attention  dropout rate of the attention probabilities
 * @param classifier dropout rate of the [CLS] vector fed to the classifier
 */
public record Dropout(long key, float hidden, float attention, float classifier) {
    /** Sites: the embeddings, then per layer application its attention probabilities and two sub-block outputs. */
    public static final int SITE_EMBEDDINGS = 0;
    public static final int SITE_CLASSIFIER = 1 << 20;
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private static final int BITS = 24;

    public Dropout {
        for (float p : new float[]{hidden, attention, classifier}) {
            if (!(p >= 0 && p < 1)) {
                throw new IllegalArgumentException("dropout rates must be in [0, 1), got " + p);
            }
        }
    }

    /** The masks of optimiser step {@code step} of a run seeded with {@code seed}. */
    public static Dropout forStep(long seed, long step, float hidden, float attention, float classifier) {
        return new Dropout(mix(mix(seed) ^ (step * GOLDEN)), hidden, attention, classifier);
    }

    public boolean active() {
        return hidden > 0 || attention > 0 || classifier > 0;
    }

    public static int attentionSite(int layer) {
        return 1 + 3 * layer;
    }

    public static int attentionOutputSite(int layer) {
        return 2 + 3 * layer;
    }

    public static int ffnOutputSite(int layer) {
        return 3 + 3 * layer;
    }

    /** The SplitMix64 finaliser (Steele, Lea and Flood 2014): a bijective 64-bit mix. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The per-site stream start; element i of the site draws mix(base + i * GOLDEN). */
    long base(int site) {
        return mix(key ^ mix(site + 0x5851F42D4C957F2DL));
    }

    /** Elements whose 24-bit draw is below this are dropped. */
    static int threshold(float rate) {
        return (int) Math.round(rate * (double) (1 << BITS));
    }

    /**
     * The factors mask / (1 - rate) (0 where dropped) of the first {@code count} elements of {@code site}, in the
     * row-major order the engine numbers them: what another implementation of the same step (the SameDiff twin)
     * multiplies by to drop exactly what the engine drops.
     */
    public float[] scales(int site, int count, float rate) {
        float[] s = new float[count];
        Arrays.fill(s, 1f);
        if (rate > 0f) {
            scale(s, 0, count, base(site), 0, rate);
        }
        return s;
    }

    /** Whether element {@code index} of the site with stream start {@code base} is kept at this threshold. */
    static boolean kept(long base, long index, int threshold) {
        return (int) (mix(base + index * GOLDEN) >>> (64 - BITS)) >= threshold;
    }

    /** values[from, from + n) *= mask / (1 - rate), the elements being {@code index0 ...} of the site. */
    static void scale(float[] values, int from, int n, long base, long index0, float rate) {
        int threshold = threshold(rate);
        float keep = 1f / (1f - rate);
        for (int i = 0; i < n; i++) {
            values[from + i] = kept(base, index0 + i, threshold) ? values[from + i] * keep : 0f;
        }
    }

    /**
     * x *= mask / (1 - rate) over the whole tensor (element index = row-major position), in place: the forward
     * pass of dropout at {@code site}, and equally its backward pass on a gradient of the same shape.
     */
    void apply(Tensor x, int site, float rate) {
        if (rate == 0f) {
            return;
        }
        int cols = x.cols();
        long base = base(site);
        FloatBuffer xb = x.buffer();
        Parallel.forRange(x.rows(), cols * 8L, (start, end) -> {
            float[] row = new float[cols];
            for (int r = start; r < end; r++) {
                xb.get(r * cols, row);
                scale(row, 0, cols, base, (long) r * cols, rate);
                xb.put(r * cols, row);
            }
        });
    }
}
