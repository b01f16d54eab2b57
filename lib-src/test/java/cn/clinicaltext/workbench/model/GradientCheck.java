package cn.clinicaltext.workbench.model;

import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Analytic gradients against central finite differences of the loss, in float with a tolerance for it. */
final class GradientCheck {
    private GradientCheck() {
    }

    /** Six entries of every parameter of p: (loss(w + eps) - loss(w - eps)) / 2 eps against the gradient in g. */
    static void check(AlbertParams p, AlbertParams g, DoubleSupplier loss, String what) {
        for (Map.Entry<String, Tensor> e : p.tensors().entrySet()) {
            check(e.getValue(), g.get(e.getKey()), loss, what + ": " + e.getKey());
        }
    }

    /** The same for the parameters named (a head's, say). */
    static void check(AlbertParams p, AlbertParams g, List<String> names, DoubleSupplier loss, String what) {
        for (String name : names) {
            check(p.get(name), g.get(name), loss, what + ": " + name);
        }
    }

    /** Six entries of one tensor w (a parameter, or an input such as the hidden states a head reads) against grad. */
    static void check(Tensor w, Tensor grad, DoubleSupplier loss, String what) {
        int checked = 0;
        for (int i = 0; i < w.size() && checked < 6; i += Math.max(1, w.size() / 6)) {
            float orig = w.get(i);
            float eps = 2e-3f;
            w.set(i, orig + eps);
            double up = loss.getAsDouble();
            w.set(i, orig - eps);
            double down = loss.getAsDouble();
            w.set(i, orig);
            double numeric = (up - down) / (2 * eps);
            assertEquals(numeric, grad.get(i), 2e-3 + 2e-2 * Math.abs(numeric), what + "[" + i + "]");
            checked++;
        }
    }

    /** A seeded Gaussian tensor [rows, cols] (hidden states for a head on its own, say). */
    static Tensor gaussian(int rows, int cols, long seed) {
        java.util.Random r = new java.util.Random(seed);
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return Tensor.of(v, rows, cols);
    }
}
