package cn.clinicaltext.workbench.train;

import cn.clinicaltext.workbench.model.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class TeacherEmbeddingsTest {
    /**
     * A teacher table whose rows lie near a 2-dimensional subspace of 8 dimensions: two components keep nearly all
     * its variance, the student's rows keep the teachers' geometry (distances in proportion), and its scale is the
     * random initialisation's it replaces.
     */
    @Test
    void leadingComponentsKeepTheTablesGeometryAtTheStudentsScale() {
        int v = 300;
        int d = 8;
        Random r = new Random(1);
        double[] a = new double[d];
        double[] b = new double[d];
        for (int j = 0; j < d; j++) {
            a[j] = r.nextGaussian();
            b[j] = r.nextGaussian();
        }
        float[] t = new float[v * d];
        for (int i = 0; i < v; i++) {
            double x = 3 * r.nextGaussian();
            double y = 2 * r.nextGaussian();
            for (int j = 0; j < d; j++) {
                t[i * d + j] = (float) (5 + x * a[j] + y * b[j] + 0.01 * r.nextGaussian());
            }
        }
        float[] init = new float[v * 2];
        for (int i = 0; i < init.length; i++) {
            init[i] = (float) (0.02 * r.nextGaussian());
        }
        try (Tensor teacher = Tensor.of(t, v, d); Tensor student = Tensor.of(init.clone(), v, 2)) {
            double kept = TeacherEmbeddings.initialise(teacher, student);
            assertTrue(kept > 0.999, "two components of a rank-2 table: " + kept);
            assertEquals(rms(init), rms(toArray(student)), 1e-6,
                    "the random initialisation's scale");
            // distances between rows, teacher's against student's, in one proportion
            double ratio = distance(t, d, 0, 1) / distance(toArray(student), 2, 0, 1);
            for (int[] pair : new int[][]{{2, 3}, {10, 200}, {5, 299}}) {
                assertEquals(ratio, distance(t, d, pair[0], pair[1]) / distance(toArray(student), 2, pair[0], pair[1]),
                        0.01 * ratio);
            }
            assertThrows(IllegalArgumentException.class, () -> TeacherEmbeddings.initialise(student, teacher),
                    "a student wider than its teacher");
        }
    }

    private static float[] toArray(Tensor x) {
        float[] out = new float[x.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = x.get(i);
        }
        return out;
    }

    private static double rms(float[] x) {
        double ss = 0;
        for (float f : x) {
            ss += (double) f * f;
        }
        return Math.sqrt(ss / x.length);
    }

    private static double distance(float[] x, int width, int i, int j) {
        double ss = 0;
        for (int k = 0; k < width; k++) {
            double diff = x[i * width + k] - x[j * width + k];
            ss += diff * diff;
        }
        return Math.sqrt(ss);
    }
}
