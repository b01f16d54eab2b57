package cn.clinicaltext.workbench.kernel;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Kernel settings, read from the same environment variables IJava reads, so a kernelspec written for IJava
 * works with this kernel and notebooks behave the same under both.
 *
 * @param classpath       entries of IJAVA_CLASSPATH (platform path separator; entries may hold globs)
 * @param startupScripts  IJAVA_STARTUP_SCRIPTS_PATH entries (files or globs of .jshell files), run in order
 * @param startupScript   IJAVA_STARTUP_SCRIPT: inline code run after the scripts, may be empty
 * @param timeoutMillis   IJAVA_TIMEOUT: a cell running longer is stopped; -1 means no limit
 * @param compilerOptions IJAVA_COMPILER_OPTS, split on whitespace
 */
public record KernelConfig(List<String> classpath, List<String> startupScripts, String startupScript,
                           long timeoutMillis, List<String> compilerOptions) {

    public KernelConfig {
        classpath = List.copyOf(classpath);
        startupScripts = List.copyOf(startupScripts);
        startupScript = startupScript == null ? "" : startupScript;
        compilerOptions = List.copyOf(compilerOptions);
        if (timeoutMillis < -1) {
            throw new IllegalArgumentException("IJAVA_TIMEOUT must be -1 (no limit) or a number of milliseconds, got " + timeoutMillis);
        }
    }

    public static KernelConfig defaults() {
        return new KernelConfig(List.of(), List.of(), "", -1, List.of());
    }

    public static KernelConfig fromEnvironment(Map<String, String> env) {
        String timeout = env.getOrDefault("IJAVA_TIMEOUT", "-1").trim();
        long timeoutMillis;
        try {
            timeoutMillis = timeout.isEmpty() ? -1 : Long.parseLong(timeout);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("IJAVA_TIMEOUT must be a number of milliseconds, got '" + timeout + "'");
        }
        return new KernelConfig(
                splitPath(env.get("IJAVA_CLASSPATH")),
                splitPath(env.get("IJAVA_STARTUP_SCRIPTS_PATH")),
                env.getOrDefault("IJAVA_STARTUP_SCRIPT", ""),
                timeoutMillis,
                splitWhitespace(env.get("IJAVA_COMPILER_OPTS")));
    }

    static List<String> splitPath(String value) {
        List<String> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        for (String part : value.split(File.pathSeparator)) {
            if (!part.isBlank()) {
                out.add(part.trim());
            }
        }
        return out;
    }

    static List<String> splitWhitespace(String value) {
        List<String> out = new ArrayList<>();
        if (value != null) {
            for (String part : value.trim().split("\\s+")) {
                if (!part.isEmpty()) {
                    out.add(part);
                }
            }
        }
        return out;
    }
}
