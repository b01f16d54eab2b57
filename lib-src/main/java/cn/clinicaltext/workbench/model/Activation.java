package cn.clinicaltext.workbench.model;

/**
 * The feed-forward activation of a transformer layer, forward and backward on arrays (the loops {@link Kernels}
 * runs over rows and chunks). Two GELUs are in use: Google's BERT and ALBERT (and albert_tiny_google_zh) use the
 * tanh form, PyTorch's BERT (and so bge-small-zh-v1.5) the exact one; they differ by up to 4.7e-4 (at x = 2.7,
 * measured over [-8, 8] in steps of 1e-3, FastMathTest), applied in every layer: a checkpoint runs with the GELU it
 * was trained with.
 */
public enum Activation {
    /** GELU, tanh form (Hendrycks and Gimpel 2016, eq. 2 of their paper): Google's "gelu", Hugging Face's "gelu_new". */
    GELU_TANH("gelu"),
    /** GELU, exact: x Phi(x) = 0.5 x (1 + erf(x / sqrt 2)): PyTorch's and Hugging Face's "gelu". */
    GELU_EXACT("gelu_exact"),
    RELU("relu");

    private final String configName;

    Activation(String configName) {
        this.configName = configName;
    }

    /** Its {@code hidden_act} in the workbench's (Google's) config keys. */
    public String configName() {
        return configName;
    }

    /** The activation a config's {@code hidden_act} names ("gelu_new" is the tanh form too, as in Hugging Face). */
    public static Activation fromConfig(String name) {
        for (Activation a : values()) {
            if (a.configName.equals(name)) {
                return a;
            }
        }
        if ("gelu_new".equals(name)) {
            return GELU_TANH;
        }
        throw new IllegalArgumentException("hidden_act '" + name + "' is not supported (use gelu, the tanh form of"
                + " Google's BERT; gelu_exact, the erf form of PyTorch's BERT; or relu)");
    }

    /** sqrt(2/pi), of the tanh form. */
    static final float GELU_C = 0.7978845608028654f;
    static final float GELU_A = 0.044715f;
    private static final float SQRT2 = 1.4142135623730951f;
    private static final float INV_SQRT2 = 0.7071067811865476f;
    private static final float INV_SQRT_2PI = 0.3989422804014327f;

    /**
     * a[i] = act(a[i]) for i < len; {@code work} is scratch of at least len floats.
     * <p>
     * Each GELU runs as passes of short loops, one small method each: the JIT's vectoriser (C2's superword, Java 17)
     * gives up on a loop whose body is too long (its unrolling limit) or calls {@link Math#copySign}, and one fused
     * loop per element ran 10-20x slower than these (ns per element on 4,096 floats, this machine, 2026-12-05:
     * exact forward 9.6 -> 0.7, exact backward 15 -> 0.7, tanh backward 8.0 -> 0.5; the tanh forward vectorised
     * already, 0.5). With bge-small-zh-v1.5 (exact GELU, FFN 2,048) the unvectorised GELU took about 60% of the
     * Java side's samples of a fine-tuning run (JFR).
     */
    void forward(float[] a, float[] work, int len) {
        switch (this) {
            case GELU_TANH -> tanhForm(a, len);
            case GELU_EXACT -> {
                halfSquareExp(a, work, len);
                exactForm(a, work, len);
            }
            case RELU -> {
                for (int i = 0; i < len; i++) {
                    a[i] = 0.5f * (a[i] + Math.abs(a[i]));
                }
            }
        }
    }

    /**
     * d[i] *= act'(x[i]) for i < len, where x is the activation's input; {@code work} is scratch of at least len
     * floats.
     * <pre>
     *   tanh form:  y = 0.5 x (1 + t),  t = tanh(c (x + a x^3))
     *               y' = 0.5 (1 + t) + 0.5 x (1 - t^2) c (1 + 3 a x^2)
     *   exact:      y = x Phi(x)        y' = Phi(x) + x phi(x),  phi(x) = exp(-x^2 / 2) / sqrt(2 pi)
     *   relu:       y' = 1 for x > 0, else 0
     * </pre>
     */
    void backward(float[] x, float[] d, float[] work, int len) {
        switch (this) {
            case GELU_TANH -> {
                tanhOfInner(x, work, len);
                tanhFormSlope(x, work, d, len);
            }
            case GELU_EXACT -> {
                halfSquareExp(x, work, len);
                exactFormSlope(x, work, len);
                for (int i = 0; i < len; i++) {
                    d[i] *= work[i];
                }
            }
            case RELU -> {
                for (int i = 0; i < len; i++) {
                    d[i] = x[i] > 0f ? d[i] : 0f;
                }
            }
        }
    }

    // The passes. Tanh form: y = 0.5 x (1 + tanh(c (x + a x^3))).
    private static void tanhForm(float[] a, int len) {
        for (int i = 0; i < len; i++) {
            float v = a[i];
            a[i] = 0.5f * v * (1f + FastMath.tanh(GELU_C * (v + GELU_A * v * v * v)));
        }
    }

    /** t[i] = tanh(c (x + a x^3)). */
    private static void tanhOfInner(float[] x, float[] t, int len) {
        for (int i = 0; i < len; i++) {
            float v = x[i];
            t[i] = FastMath.tanh(GELU_C * v * (1f + GELU_A * v * v));
        }
    }

    /** d[i] *= 0.5 (1 + t) + 0.5 x (1 - t^2) c (1 + 3 a x^2). */
    private static void tanhFormSlope(float[] x, float[] t, float[] d, int len) {
        for (int i = 0; i < len; i++) {
            float v = x[i];
            float th = t[i];
            d[i] *= 0.5f * (1f + th) + 0.5f * v * (1f - th * th) * GELU_C * (1f + 3f * GELU_A * v * v);
        }
    }

    /** e[i] = exp(-x^2 / 2): phi's numerator, and the exp(-z^2) of erf(z) at z = x / sqrt 2. */
    private static void halfSquareExp(float[] x, float[] e, int len) {
        for (int i = 0; i < len; i++) {
            float v = x[i];
            e[i] = FastMath.expNonPositive(-0.5f * v * v);
        }
    }

    /** a[i] = x Phi(x), given e = exp(-x^2 / 2). */
    private static void exactForm(float[] a, float[] e, int len) {
        for (int i = 0; i < len; i++) {
            a[i] *= normalCdf(a[i], e[i]);
        }
    }

    /** e[i] = Phi(x) + x phi(x), given e = exp(-x^2 / 2) (overwritten). */
    private static void exactFormSlope(float[] x, float[] e, int len) {
        for (int i = 0; i < len; i++) {
            float v = x[i];
            float ev = e[i];
            e[i] = normalCdf(v, ev) + v * INV_SQRT_2PI * ev;
        }
    }

    // Abramowitz and Stegun 7.1.26 (Handbook of Mathematical Functions, 1964): for z >= 0,
    // erf(z) = 1 - (a1 t + a2 t^2 + a3 t^3 + a4 t^4 + a5 t^5) exp(-z^2), t = 1 / (1 + p z), |error| <= 1.5e-7.
    private static final float ERF_P = 0.3275911f;
    private static final float ERF_A1 = 0.254829592f;
    private static final float ERF_A2 = -0.284496736f;
    private static final float ERF_A3 = 1.421413741f;
    private static final float ERF_A4 = -1.453152027f;
    private static final float ERF_A5 = 1.061405429f;

    /**
     * Phi(x) = 0.5 (1 + erf(z)), z = x / sqrt 2, given e = exp(-x^2 / 2) = exp(-z^2): A&amp;S 7.1.26 on |z|, so
     * 0.5 (1 + erf(|z|)) = 1 - q with q = 0.5 poly(t) e, and Phi(-x) = 1 - Phi(x) gives Phi = 0.5 + s (0.5 - q)
     * with s the sign of z. s = z / (|z| + 1e-30) instead of {@link Math#copySign}, which the JIT does not
     * vectorise: exact for |z| > 1e-22, and below that 0.5 - q is itself below 1e-22 (s = 0 at z = 0, Phi = 0.5).
     * With {@link FastMath#expNonPositive}'s 1e-5 relative error erf stays within 2e-6 (tested against a
     * double-precision series).
     */
    private static float normalCdf(float x, float e) {
        float z = x * INV_SQRT2;
        float az = Math.abs(z);
        float t = 1f / (1f + ERF_P * az);
        float poly = t * (ERF_A1 + t * (ERF_A2 + t * (ERF_A3 + t * (ERF_A4 + t * ERF_A5))));
        float s = z / (az + 1e-30f);
        return 0.5f + s * (0.5f - 0.5f * poly * e);
    }

    /** erf(z) = 2 Phi(z sqrt 2) - 1, by the same formula as the GELU (for tests). */
    static float erf(float z) {
        return 2f * normalCdf(z * SQRT2, FastMath.expNonPositive(-z * z)) - 1f;
    }
}
