package cn.clinicaltext.workbench.train;

import cn.clinicaltext.workbench.model.Blas;
import cn.clinicaltext.workbench.model.Tensor;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

import java.util.Arrays;

/**
 * A distilled student's word embeddings from its teacher's (same vocabulary, narrower table): the teacher's rows,
 * centred, projected onto the leading principal components of the table (as many as the student's embedding
 * width), then scaled to the root-mean-square of the student's random initialisation (the table's values before),
 * so they sit beside its random position and token-type embeddings as a random table would:
 * <pre>
 *   X = T - mean(T)          [V, D]   the teacher's word embeddings, each column centred
 *   C = X^T X / V            [D, D]   their covariance; U [D, E]: its eigenvectors of the E largest eigenvalues
 *   S = X U * (r / rms(X U)) [V, E]   the student's table; r = the random initialisation's rms
 * </pre>
 */
final class TeacherEmbeddings {
    private TeacherEmbeddings() {
    }

    /**
     * Writes the projection into {@code student} ([V, E], E at most D, holding its random initialisation) and returns
     * the share of the table's variance the E components keep.
     */
    static double initialise(Tensor teacher, Tensor student) {
        int v = teacher.rows();
        int d = teacher.cols();
        int e = student.cols();
        if (student.rows() != v || e > d) {
            throw new IllegalArgumentException("teacher embeddings [" + v + ", " + d + "] cannot start a student table"
                    + " [" + student.rows() + ", " + e + "]: the vocabulary must be the same and the student no wider");
        }
        double rms = rms(student);
        double[] mean = new double[d];
        for (int i = 0; i < v; i++) {
            for (int j = 0; j < d; j++) {
                mean[j] += teacher.get(i * d + j);
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= v;
        }
        try (Tensor x = Tensor.empty(v, d); Tensor cov = Tensor.empty(d, d); Tensor u = Tensor.empty(d, e)) {
            for (int i = 0; i < v; i++) {
                for (int j = 0; j < d; j++) {
                    x.set(i * d + j, (float) (teacher.get(i * d + j) - mean[j]));
                }
            }
            Blas.matmul(x, true, x, false, cov, false);
            double[][] c = new double[d][d];
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    // symmetrised: the float product is symmetric only up to rounding
                    c[i][j] = (cov.get(i * d + j) + cov.get(j * d + i)) / (2.0 * v);
                }
            }
            RealMatrix cm = new Array2DRowRealMatrix(c, false);
            EigenDecomposition eig = new EigenDecomposition(cm);
            double[] values = eig.getRealEigenvalues();
            Integer[] order = new Integer[d];
            for (int i = 0; i < d; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Double.compare(values[b], values[a]));
            double total = 0;
            double kept = 0;
            for (int i = 0; i < d; i++) {
                total += Math.max(0, values[order[i]]);
                if (i < e) {
                    kept += Math.max(0, values[order[i]]);
                }
            }
            for (int k = 0; k < e; k++) {
                double[] vec = eig.getEigenvector(order[k]).toArray();
                for (int j = 0; j < d; j++) {
                    u.set(j * e + k, (float) vec[j]);
                }
            }
            Blas.matmul(x, false, u, false, student, false);
            double scale = rms / rms(student);
            for (int i = 0; i < student.size(); i++) {
                student.set(i, (float) (student.get(i) * scale));
            }
            return total > 0 ? kept / total : 0;
        }
    }

    private static double rms(Tensor t) {
        double ss = 0;
        for (int i = 0; i < t.size(); i++) {
            ss += (double) t.get(i) * t.get(i);
        }
        return Math.sqrt(ss / t.size());
    }
}
