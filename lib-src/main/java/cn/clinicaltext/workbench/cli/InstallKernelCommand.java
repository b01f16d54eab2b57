package cn.clinicaltext.workbench.cli;

import cn.clinicaltext.workbench.kernel.KernelSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "install-kernel", mixinStandardHelpOptions = true,
        description = "Writes the Java kernelspec into a project-local Jupyter folder (point JUPYTER_PATH at it).")
final class InstallKernelCommand implements Callable<Integer> {
    @Option(names = "--jupyter-dir", required = true, description = "Jupyter data folder, e.g. target/jupyter")
    Path jupyterDir;

    @Option(names = "--classpath", required = true, description = "library jar and dependency jars (globs allowed)")
    String classpath;

    @Option(names = "--jvm-option", description = "option for the kernel JVM (repeatable)")
    List<String> jvmOptions = List.of();

    @Option(names = "--env", description = "KEY=VALUE for the kernel's environment (repeatable)")
    Map<String, String> env = Map.of();

    @Override
    public Integer call() throws Exception {
        Path spec = KernelSpec.write(jupyterDir, NotebookKernelMain.class.getName(), classpath, jvmOptions, env);
        System.out.println("kernelspec written: " + spec);
        return 0;
    }
}
