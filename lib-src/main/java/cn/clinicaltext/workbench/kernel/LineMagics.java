package cn.clinicaltext.workbench.kernel;

import io.github.spencerpark.jupyter.kernel.magic.MagicParser;

import java.nio.file.Path;
import java.util.List;

/**
 * IJava's classpath line magics: {@code %jars path...} and {@code %classpath path...} (both take globs and
 * platform-separated lists). A magic line is applied when the cell runs and removed from the Java source.
 */
final class LineMagics {
    private static final MagicParser PARSER = new MagicParser();

    private LineMagics() {
    }

    static String apply(String cell, JavaKernel kernel) {
        return PARSER.transformLineMagics(cell, ctx -> {
            String name = ctx.getMagicCall().getName();
            List<String> args = ctx.getMagicCall().getArgs();
            switch (name) {
                case "jars":
                case "classpath":
                    for (String arg : args) {
                        for (String entry : KernelConfig.splitPath(arg)) {
                            List<Path> added = kernel.addToClasspath(entry);
                            if (added.isEmpty() && !Path.of(entry).toFile().exists() && !entry.contains("*")) {
                                throw new IllegalArgumentException("%" + name + ": no such file or folder: " + entry);
                            }
                        }
                    }
                    return "";
                default:
                    throw new IllegalArgumentException("unknown line magic %" + name
                            + " (this kernel supports %jars and %classpath)");
            }
        });
    }

    /** The cell without its magic lines, for completeness checks that must not run a magic. */
    static String strip(String cell) {
        return PARSER.transformLineMagics(cell, ctx -> "");
    }
}
