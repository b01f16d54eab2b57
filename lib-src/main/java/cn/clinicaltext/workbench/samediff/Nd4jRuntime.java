package cn.clinicaltext.workbench.samediff;

import cn.clinicaltext.workbench.model.Blas;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.factory.Nd4j;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts ND4J once, then gives OpenBLAS back to the engine: ND4J sets the OpenBLAS library it shares with the engine
 * to use every core, and the engine's own threads then fight OpenBLAS's (see {@link Blas#keepOpenBlasSingleThreaded}).
 * Everything in this package that touches ND4J calls {@link #start} first.
 */
final class Nd4jRuntime {
    private static volatile boolean started;

    private Nd4jRuntime() {
    }

    static synchronized void start() {
        if (!started) {
            Nd4j.getBackend();
            Nd4j.scalar(0f).close();
            Blas.keepOpenBlasSingleThreaded();
            started = true;
        }
    }

    /** Names of the graph's trainable variables (the weights), in the graph's order. */
    static List<String> trainable(SameDiff sd) {
        List<String> names = new ArrayList<>();
        for (SDVariable v : sd.variables()) {
            if (v.getVariableType() == VariableType.VARIABLE) {
                names.add(v.name());
            }
        }
        return names;
    }

    /**
     * Builds the graph's gradient function now, quietly: SameDiff 1.0.0-M2.1 prints a line per differentiated op to
     * standard output (hundreds for the twin, into a notebook's cell output) when fit or calculateGradients first
     * needs it.
     */
    static void createGradients(SameDiff sd) {
        if (sd.hasGradientFunction()) {
            return;
        }
        PrintStream out = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        try {
            sd.createGradFunction();
        } finally {
            System.setOut(out);
        }
    }
}
