package cn.clinicaltext.workbench.kernel;

import io.github.spencerpark.jupyter.kernel.util.GlobFinder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Expands classpath-style entries that may hold globs ({@code lib/*}, {@code **}{@code /*.jar}) into files. */
final class Globs {
    private Globs() {
    }

    static List<Path> expand(String entry) {
        List<Path> out = new ArrayList<>();
        if (entry.indexOf('*') < 0 && entry.indexOf('?') < 0) {
            out.add(Path.of(entry).toAbsolutePath().normalize());
            return out;
        }
        try {
            for (Path p : new GlobFinder(entry).computeMatchingFiles()) {
                out.add(p.toAbsolutePath().normalize());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot expand '" + entry + "': " + e.getMessage(), e);
        }
        out.sort(null);
        return out;
    }
}
