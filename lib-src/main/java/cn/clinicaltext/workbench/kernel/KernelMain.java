package cn.clinicaltext.workbench.kernel;

import io.github.spencerpark.jupyter.channels.JupyterConnection;
import io.github.spencerpark.jupyter.channels.JupyterSocket;
import io.github.spencerpark.jupyter.kernel.KernelConnectionProperties;
import io.github.spencerpark.jupyter.kernel.display.Renderer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Serves one kernel for Jupyter: {@code java ... MAIN <connection-file>}, where MAIN is the application's entry
 * point ({@code cli.NotebookKernelMain}), which hands over the rich output of its own types.
 */
public final class KernelMain {
    private KernelMain() {
    }

    /** Runs until Jupyter closes the connection, then exits the JVM. */
    public static void serve(String[] args, List<Consumer<Renderer>> renderers) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: <kernel main class> <jupyter connection file>");
            System.exit(2);
        }
        // The protocol library logs every socket loop start and stop at INFO (loggers named "Loop-*").
        Logger.getLogger("").setLevel(Level.WARNING);
        JupyterSocket.JUPYTER_LOGGER.setLevel(Level.WARNING);
        String contents = Files.readString(Path.of(args[0]), StandardCharsets.UTF_8);
        KernelConnectionProperties connection = KernelConnectionProperties.parse(contents);
        JavaKernel kernel = new JavaKernel(KernelConfig.fromEnvironment(System.getenv()), renderers);
        kernel.runStartup();
        JupyterConnection jupyter = new JupyterConnection(connection);
        kernel.becomeHandlerForConnection(jupyter);
        jupyter.connect();
        jupyter.waitUntilClose();
        System.exit(0);
    }
}
