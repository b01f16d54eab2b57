package cn.clinicaltext.workbench.model;

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
            Tensor w = e.getValue();
            Tensor grad = g.get(e.getKey());
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
                assertEquals(numeric, grad.get(i), 2e-3 + 2e-2 * Math.abs(numeric), what + ": " + e.getKey() + "[" + i + "]");
                checked++;
            }
        }
    }
}
