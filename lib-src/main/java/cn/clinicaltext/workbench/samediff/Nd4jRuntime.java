package cn.clinicaltext.workbench.samediff;

import cn.clinicaltext.workbench.model.Blas;
import org.nd4j.linalg.factory.Nd4j;

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
}
