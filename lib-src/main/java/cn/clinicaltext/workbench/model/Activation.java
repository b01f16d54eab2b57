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
    private static final float INV_SQRT2 = 0.7071067811865476f;
    private static final float INV_SQRT_2PI = 0.3989422804014327f;

    /** a[i] = act(a[i]) for i < len. */
    void forward(float[] a, int len) {
        switch (this) {
            case GELU_TANH -> {
                for (int i = 0; i < len; i++) {
                    float v = a[i];
                    a[i] = 0.5f * v * (1f + FastMath.tanh(GELU_C * (v + GELU_A * v * v * v)));
                }
            }
            case GELU_EXACT -> {
                for (int i = 0; i < len; i++) {
                    float v = a[i];
                    a[i] = 0.5f * v * (1f + erf(v * INV_SQRT2));
                }
            }
            case RELU -> {
                for (int i = 0; i < len; i++) {
                    a[i] = 0.5f * (a[i] + Math.abs(a[i]));
                }
            }
        }
    }

    /**
     * d[i] *= act'(x[i]) for i < len, where x is the activation's input.
     * <pre>
     *   tanh form:  y = 0.5 x (1 + t),  t = tanh(c (x + a x^3))
     *               y' = 0.5 (1 + t) + 0.5 x (1 - t^2) c (1 + 3 a x^2)
     *   exact:      y = x Phi(x)        y' = Phi(x) + x phi(x),  phi(x) = exp(-x^2 / 2) / sqrt(2 pi)
     *   relu:       y' = 1 for x > 0, else 0
     * </pre>
     */
    void backward(float[] x, float[] d, int len) {
        switch (this) {
            case GELU_TANH -> {
                for (int i = 0; i < len; i++) {
                    float v = x[i];
                    float th = FastMath.tanh(GELU_C * v * (1f + GELU_A * v * v));
                    float dt = (1f - th * th) * GELU_C * (1f + 3f * GELU_A * v * v);
                    d[i] = d[i] * (0.5f * (1f + th) + 0.5f * v * dt);
                }
            }
            case GELU_EXACT -> {
                for (int i = 0; i < len; i++) {
                    float v = x[i];
                    float phi = INV_SQRT_2PI * FastMath.expNonPositive(-0.5f * v * v);
                    d[i] = d[i] * (0.5f * (1f + erf(v * INV_SQRT2)) + v * phi);
                }
            }
            case RELU -> {
                for (int i = 0; i < len; i++) {
                    d[i] = x[i] > 0f ? d[i] : 0f;
                }
            }
        }
    }

    // Abramowitz and Stegun 7.1.26 (Handbook of Mathematical Functions, 1964): for x >= 0,
    // erf(x) = 1 - (a1 t + a2 t^2 + a3 t^3 + a4 t^4 + a5 t^5) exp(-x^2), t = 1 / (1 + p x), |error| <= 1.5e-7.
    private static final float ERF_P = 0.3275911f;
    private static final float ERF_A1 = 0.254829592f;
    private static final float ERF_A2 = -0.284496736f;
    private static final float ERF_A3 = 1.421413741f;
    private static final float ERF_A4 = -1.453152027f;
    private static final float ERF_A5 = 1.061405429f;

    /**
     * erf in float, branch-free so the loops above vectorise: A&amp;S 7.1.26 on |x|, the sign put back with
     * {@link Math#copySign}; with {@link FastMath#expNonPositive}'s 1e-5 relative error the total stays below 2e-6
     * (tested against a double-precision series).
     */
    static float erf(float x) {
        float ax = Math.abs(x);
        float t = 1f / (1f + ERF_P * ax);
        float poly = t * (ERF_A1 + t * (ERF_A2 + t * (ERF_A3 + t * (ERF_A4 + t * ERF_A5))));
        return Math.copySign(1f - poly * FastMath.expNonPositive(-ax * ax), x);
    }
}
