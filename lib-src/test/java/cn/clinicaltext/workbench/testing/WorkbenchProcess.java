package cn.clinicaltext.workbench.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import cn.clinicaltext.workbench.cli.WorkbenchCli;

/** A {@code ./workbench} command run in a separate JVM (so a test can kill it), its output in {@code work/<log>.log}. */
public final class WorkbenchProcess {
    private WorkbenchProcess() {
    }

    public static Process start(Path work, String log, String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx1g", "-Djava.awt.headless=true", "-cp",
                System.getProperty("java.class.path"), WorkbenchCli.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).directory(work.toFile()).redirectOutput(work.resolve(log + ".log").toFile())
                .redirectErrorStream(true).start();
    }
}
