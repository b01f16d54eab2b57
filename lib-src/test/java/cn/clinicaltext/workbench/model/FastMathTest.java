package cn.clinicaltext.workbench.model;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class FastMathTest {
    @Test
    void expIsWithinAFewUlpOfMathExp() {
        double worst = 0;
        for (float x = -80f; x <= 80f; x += 0.001f) {
            double want = Math.exp(x);
            worst = Math.max(worst, Math.abs(FastMath.exp(x) - want) / want);
        }
        assertTrue(worst < 1e-6, "largest relative error " + worst);
        assertEquals(0f, FastMath.exp(-1000f));
        assertEquals(1f, FastMath.exp(0f), 1e-7);
    }

    @Test
    void expOfNonPositiveArguments() {
        double worst = 0;
        for (float x = -30f; x <= 0f; x += 0.0005f) {
            double want = Math.exp(x);
            worst = Math.max(worst, Math.abs(FastMath.expNonPositive(x) - want) / want);
        }
        assertTrue(worst < 1e-5, "largest relative error " + worst);
        assertTrue(FastMath.expNonPositive(-1e5f) < 1e-13);
        assertTrue(FastMath.expNonPositive(-1e6f) < 1e-13);
    }

    @Test
    void tanhMatchesMathTanh() {
        for (float x = -20f; x <= 20f; x += 0.01f) {
            assertEquals(Math.tanh(x), FastMath.tanh(x), 1e-6, "x=" + x);
        }
    }

    @Test
    void geluIsBertsTanhFormNotTheSigmoidApproximation() {
        try (Tensor t = Tensor.of(new float[]{1f, -1f, 0.5f}, 3)) {
            Kernels.activation(t, Activation.GELU_TANH);
            assertEquals(0.841192, t.get(0), 1e-5, "tanh form at 1 (x*sigmoid(1.702x) gives 0.8458)");
            assertEquals(-0.158808, t.get(1), 1e-5);
            assertEquals(0.345714, t.get(2), 1e-5);
        }
    }

    /** erf by its Maclaurin series in double (converges everywhere; 60 terms are exact to 1e-12 for |x| <= 3). */
    private static double erfSeries(double x) {
        double sum = 0;
        double term = x;
        for (int n = 0; n < 200; n++) {
            sum += term / (2 * n + 1);
            term *= -x * x / (n + 1);
        }
        return 2 / Math.sqrt(Math.PI) * sum;
    }

    @Test
    void erfMatchesItsSeries() {
        for (float x = -3f; x <= 3f; x += 0.001f) {
            assertEquals(erfSeries(x), Activation.erf(x), 2e-6, "x=" + x);
        }
        assertEquals(1.0, Activation.erf(6f), 2e-6);
        assertEquals(-1.0, Activation.erf(-9f), 2e-6);
    }

    @Test
    void exactGeluIsXTimesTheNormalCdf() {
        try (Tensor t = Tensor.of(new float[]{1f, -1f, 0.5f, -2.1f}, 4)) {
            Kernels.activation(t, Activation.GELU_EXACT);
            // 0.5 x (1 + erf(x / sqrt 2)) in double
            assertEquals(0.8413447, t.get(0), 2e-6, "Phi(1) = 0.8413447");
            assertEquals(-0.1586553, t.get(1), 2e-6);
            assertEquals(0.3457312, t.get(2), 2e-6);
            assertEquals(-2.1 * 0.5 * (1 + erfSeries(-2.1 / Math.sqrt(2))), t.get(3), 2e-6);
        }
    }

    /** The two GELUs differ by a few 1e-4 at most: that is why a checkpoint must run with its own. */
    @Test
    void theTwoGelusDifferBySmallButRealAmounts() {
        double max = 0;
        float at = 0;
        for (float x = -8f; x <= 8f; x += 0.001f) {
            float[] a = {x};
            float[] b = {x};
            Activation.GELU_TANH.forward(a, new float[1], 1);
            Activation.GELU_EXACT.forward(b, new float[1], 1);
            if (Math.abs(a[0] - b[0]) > max) {
                max = Math.abs(a[0] - b[0]);
                at = x;
            }
        }
        System.out.printf("max |GELU tanh - GELU exact| = %.3g at x = %.3f%n", max, at);
        assertTrue(max > 1e-4 && max < 1e-3, "max difference " + max + " at " + at);
    }
}
