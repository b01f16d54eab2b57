package cn.clinicaltext.workbench.kernel;

import cn.clinicaltext.workbench.io.AtomicFiles;
import com.google.gson.GsonBuilder;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the kernelspec ({@code kernels/java/kernel.json}) into a Jupyter data folder of the project, so no
 * global install is needed: the launcher points JUPYTER_PATH at that folder. The kernel is named {@code java}
 * like IJava's, so the notebooks' metadata fits both.
 */
public final class KernelSpec {
    public static final String NAME = "java";

    private KernelSpec() {
    }

    /**
     * @param jupyterDir folder that JUPYTER_PATH will name
     * @param mainClass  the entry point that serves the kernel ({@link KernelMain#serve})
     * @param classpath  the library jar and its dependency jars (globs allowed)
     * @param jvmOptions options for the kernel's JVM (heap, off-heap cap)
     * @param env        environment of the kernel (IJAVA_* settings, smoke mode)
     */
    public static Path write(Path jupyterDir, String mainClass, String classpath, List<String> jvmOptions,
                             Map<String, String> env)
            throws IOException {
        List<String> argv = new ArrayList<>();
        argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        argv.addAll(jvmOptions);
        argv.add("-cp");
        argv.add(classpath);
        argv.add(mainClass);
        argv.add("{connection_file}");
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("argv", argv);
        spec.put("display_name", "Java (workbench)");
        spec.put("language", "java");
        spec.put("interrupt_mode", "message");
        spec.put("env", env);
        Path file = jupyterDir.resolve("kernels").resolve(NAME).resolve("kernel.json");
        AtomicFiles.writeString(file, new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(spec) + "\n");
        return file;
    }
}
