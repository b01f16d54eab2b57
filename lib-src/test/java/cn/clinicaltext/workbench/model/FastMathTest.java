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
            Kernels.gelu(t);
            assertEquals(0.841192, t.get(0), 1e-5, "tanh form at 1 (x*sigmoid(1.702x) gives 0.8458)");
            assertEquals(-0.158808, t.get(1), 1e-5);
            assertEquals(0.345714, t.get(2), 1e-5);
        }
    }
}
