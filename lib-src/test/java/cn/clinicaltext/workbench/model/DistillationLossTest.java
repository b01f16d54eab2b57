package cn.clinicaltext.workbench.model;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** {@link Loss#distillation} against its definition, and its gradient against finite differences. */
class DistillationLossTest {
    private static final float[] Z = {1.5f, -0.3f, 0.2f, -1.0f, 0.4f, 2.0f};
    private static final int[] Y = {0, 2};
    private static final float[][] TEACHER = {{0.7f, 0.2f, 0.1f}, {0.05f, 0.15f, 0.8f}};

    private static double loss(float[] z, boolean[] labelled, float t, float a, float[] grad) {
        try (Tensor logits = Tensor.of(z, 2, 3)) {
            return Loss.distillation(logits, Y, TEACHER, labelled, t, a, grad);
        }
    }

    /** The definition written out in double: a CE(y, s) + (1 - a) T^2 sum t_T log(t_T / s_T), mean over rows. */
    private static double byDefinition(float[] z, boolean[] labelled, double t, double a) {
        double total = 0;
        for (int b = 0; b < 2; b++) {
            double[] s = new double[3];
            double[] sT = new double[3];
            double[] tT = new double[3];
            double n = 0, nT = 0, nt = 0;
            for (int c = 0; c < 3; c++) {
                s[c] = Math.exp(z[b * 3 + c]);
                sT[c] = Math.exp(z[b * 3 + c] / t);
                tT[c] = Math.exp(Math.log(TEACHER[b][c]) / t);
                n += s[c];
                nT += sT[c];
                nt += tT[c];
            }
            double kl = 0;
            for (int c = 0; c < 3; c++) {
                kl += tT[c] / nt * Math.log((tT[c] / nt) / (sT[c] / nT));
            }
            double w = labelled[b] ? a : 0;
            total += w * -Math.log(s[Y[b]] / n) + (1 - w) * t * t * kl;
        }
        return total / 2;
    }

    @Test
    void lossIsItsDefinitionAndTheGradientItsDerivative() {
        boolean[] labelled = {true, false};
        for (float t : new float[]{1f, 2f, 4f}) {
            for (float a : new float[]{0f, 0.5f, 1f}) {
                float[] g = new float[6];
                double l = loss(Z, labelled, t, a, g);
                assertEquals(byDefinition(Z, labelled, t, a), l, 1e-6, "T " + t + " alpha " + a);
                for (int i = 0; i < 6; i++) {
                    float[] up = Z.clone();
                    float[] down = Z.clone();
                    up[i] += 1e-3f;
                    down[i] -= 1e-3f;
                    double numeric = (byDefinition(up, labelled, t, a) - byDefinition(down, labelled, t, a)) / 2e-3;
                    assertEquals(numeric, g[i], 2e-4, "d loss / d z" + i + " at T " + t + ", alpha " + a);
                }
            }
        }
    }

    @Test
    void alphaOneIsCrossEntropyAndATeacherEqualToTheStudentCostsNothing() {
        boolean[] both = {true, true};
        try (Tensor logits = Tensor.of(Z, 2, 3)) {
            assertEquals(Loss.softmaxCrossEntropy(logits, Y), loss(Z, both, 3f, 1f, null), 1e-6);
            float[][] same = new float[2][];
            float[] p = Loss.softmax(logits);
            same[0] = new float[]{p[0], p[1], p[2]};
            same[1] = new float[]{p[3], p[4], p[5]};
            float[] g = new float[6];
            double l = Loss.distillation(logits, Y, same, new boolean[]{false, false}, 2f, 0.5f, g);
            assertEquals(0, l, 1e-6, "KL of a distribution with itself");
            for (float v : g) {
                assertEquals(0, v, 1e-6);
            }
        }
    }
}
