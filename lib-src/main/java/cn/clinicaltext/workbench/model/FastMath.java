package cn.clinicaltext.workbench.model;

/**
 * A float exponential several times faster than {@link Math#exp} (which works in double), for the softmax and
 * GELU loops: x = n ln2 + r with |r| <= ln2/2 (Cody-Waite reduction, ln2 split in two floats), 2^n built in the
 * exponent bits, e^r by its degree-6 Taylor polynomial. Relative error below 1e-6 (tested).
 */
public final class FastMath {
    private static final float LOG2E = 1.4426950408889634f;
    private static final float LN2_HI = 0.693145751953125f;
    private static final float LN2_LO = 1.4286068203094172e-6f;

    private FastMath() {
    }

    public static float exp(float x) {
        if (x < -87f) {
            return 0f;
        }
        if (x > 88f) {
            return Float.POSITIVE_INFINITY;
        }
        float n = (float) Math.rint(x * LOG2E);
        float r = (x - n * LN2_HI) - n * LN2_LO;
        float p = 1f + r * (1f + r * (0.5f + r * (1f / 6 + r * (1f / 24 + r * (1f / 120 + r * (1f / 720))))));
        return Float.intBitsToFloat(((int) n + 127) << 23) * p;
    }

    /**
     * e^x for x <= 0 (softmax after subtracting the row maximum) without branches or bit tricks, so loops over it
     * vectorise: e^x = (e^(x/32))^32 with x/32 clamped to [-1, 0] (e^-32 = 1.3e-14 stands for anything smaller; the
     * clamp is exact for x >= -1e6) and
     * e^r by its degree-10 Taylor polynomial; float rounding, amplified by the squarings, leaves a relative
     * error below 1e-5 (tested), far inside what attention probabilities need.
     */
    public static float expNonPositive(float x) {
        float s = x * (1f / 32);
        // max(s, -1) written with abs, which the JIT vectorises (Math.max on floats it does not, in Java 17)
        float r = 0.5f * (s - 1f + Math.abs(s + 1f));
        float p = 1f + r * (1f + r * (1f / 2 + r * (1f / 6 + r * (1f / 24 + r * (1f / 120 + r * (1f / 720
                + r * (1f / 5040 + r * (1f / 40320 + r * (1f / 362880 + r * (1f / 3628800))))))))));
        p *= p;
        p *= p;
        p *= p;
        p *= p;
        p *= p;
        return p;
    }

    /** Clamp beyond which tanh is 1 in float. */
    private static final float TANH_CLAMP = 7.90531110763549805f;
    // Coefficients of the rational (13/6) minimax approximation of tanh on [-7.9, 7.9] used by Eigen's
    // ptanh_float (published constants).
    private static final float A1 = 4.89352455891786e-03f;
    private static final float A3 = 6.37261928875436e-04f;
    private static final float A5 = 1.48572235717979e-05f;
    private static final float A7 = 5.12229709037114e-08f;
    private static final float A9 = -8.60467152213735e-11f;
    private static final float A11 = 2.00018790482477e-13f;
    private static final float A13 = -2.76076847742355e-16f;
    private static final float B0 = 4.89352518554385e-03f;
    private static final float B2 = 2.26843463243900e-03f;
    private static final float B4 = 1.18534705686654e-04f;
    private static final float B6 = 1.19825839466702e-06f;

    /**
     * tanh as a ratio of polynomials: only multiplications, additions, one division and a clamp, so the loops of
     * GELU and its derivative vectorise (absolute error below 1e-6, tested).
     */
    public static float tanh(float x) {
        float c = Math.max(-TANH_CLAMP, Math.min(TANH_CLAMP, x));
        float x2 = c * c;
        float p = c * (A1 + x2 * (A3 + x2 * (A5 + x2 * (A7 + x2 * (A9 + x2 * (A11 + x2 * A13))))));
        float q = B0 + x2 * (B2 + x2 * (B4 + x2 * B6));
        return p / q;
    }
}
