package cn.clinicaltext.workbench.kernel;

import io.github.spencerpark.jupyter.kernel.BaseKernel;
import io.github.spencerpark.jupyter.kernel.LanguageInfo;
import io.github.spencerpark.jupyter.kernel.ReplacementOptions;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.Renderer;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.Timer;
import java.util.TimerTask;
import java.util.function.Consumer;

/**
 * A Jupyter kernel for Java built on JShell, compatible with IJava's settings and line magics
 * ({@code %jars}, {@code %classpath}). Snippets run in this JVM, so objects reach the renderer as objects.
 */
public final class JavaKernel extends BaseKernel {
    private static volatile JavaKernel current;

    /** Imports every cell sees, as in IJava's default start-up. */
    static final List<String> DEFAULT_IMPORTS = List.of(
            "import java.util.*;", "import java.util.function.*;", "import java.util.stream.*;",
            "import java.util.regex.*;", "import java.util.concurrent.*;", "import java.io.*;",
            "import java.math.*;", "import java.net.*;", "import java.nio.file.*;",
            "import static cn.clinicaltext.workbench.kernel.Display.display;");

    private final KernelConfig config;
    private final InProcessExecutionProvider engine = new InProcessExecutionProvider();
    private final JShell shell;
    private final Set<Path> classpath = new LinkedHashSet<>();
    private final LanguageInfo languageInfo;
    /** Why the running cell was stopped (timeout or interrupt), or null while it runs normally. */
    private volatile String stopReason;

    /** A kernel that shows the common libraries' types richly ({@link RichRenderers}). */
    public JavaKernel(KernelConfig config) {
        this(config, List.of());
    }

    /**
     * @param renderers registrations of further rich output (figure types of the caller's packages), each handed
     *                  the kernel's renderer once
     */
    public JavaKernel(KernelConfig config, List<Consumer<Renderer>> renderers) {
        super(StandardCharsets.UTF_8);
        this.config = config;
        this.languageInfo = new LanguageInfo.Builder("java")
                .version(Runtime.version().toString())
                .mimetype("text/x-java-source")
                .fileExtension(".jshell")
                .pygments("java")
                .codemirror("java")
                .build();
        RichRenderers.registerAll(getRenderer());
        renderers.forEach(r -> r.accept(getRenderer()));
        this.shell = JShell.builder()
                .executionEngine(engine, Map.of())
                .compilerOptions(config.compilerOptions().toArray(String[]::new))
                .build();
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                addToClasspath(entry);
            }
        }
        config.classpath().forEach(this::addToClasspath);
        current = this;
    }

    /** The running kernel, or null outside a kernel (tests, command line). */
    static JavaKernel current() {
        return current;
    }

    /** Runs the default imports and IJava-style start-up scripts; a failing script stops the kernel's start. */
    public void runStartup() throws Exception {
        eval(String.join("\n", DEFAULT_IMPORTS));
        for (String entry : config.startupScripts()) {
            for (Path script : Globs.expand(entry)) {
                try {
                    eval(Files.readString(script, StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read start-up script " + script + ": " + e.getMessage(), e);
                }
            }
        }
        if (!config.startupScript().isBlank()) {
            eval(config.startupScript());
        }
    }

    /** Adds a jar or class folder (globs allowed) to both the compiler and the class loader of the snippets. */
    public List<Path> addToClasspath(String entry) {
        List<Path> added = new ArrayList<>();
        for (Path p : Globs.expand(entry)) {
            if (classpath.add(p)) {
                shell.addToClasspath(p.toString());
                added.add(p);
            }
        }
        return added;
    }

    @Override
    public LanguageInfo getLanguageInfo() {
        return languageInfo;
    }

    @Override
    public String getBanner() {
        return "Java " + Runtime.version() + " (JShell) - ALBERT clinical text workbench kernel";
    }

    @Override
    public DisplayData eval(String cell) throws Exception {
        String code = LineMagics.apply(cell, this);
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        String remaining = code;
        Object value = null;
        boolean hasValue = false;
        while (!remaining.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
            switch (info.completeness()) {
                case EMPTY:
                    remaining = "";
                    continue;
                case DEFINITELY_INCOMPLETE:
                case CONSIDERED_INCOMPLETE:
                    throw compilationError("the cell ends in the middle of a statement (missing ';', ')' or '}'?)",
                            remaining.strip());
                default:
                    break;
            }
            String source = info.source() != null ? info.source() : remaining;
            remaining = info.source() != null ? info.remaining() : "";
            hasValue = false;
            for (SnippetEvent event : evalWithTimeout(source)) {
                if (event.causeSnippet() != null) {
                    continue;
                }
                check(event);
                if (showsValue(event.snippet())) {
                    value = engine.control().takeResult(event.value());
                    hasValue = true;
                }
            }
        }
        return hasValue ? getRenderer().render(value) : null;
    }

    private List<SnippetEvent> evalWithTimeout(String source) throws CellFailure {
        stopReason = null;
        Timer timer = null;
        if (config.timeoutMillis() > 0) {
            timer = new Timer("cell-timeout", true);
            timer.schedule(new TimerTask() {
                @Override
                public void run() {
                    stop("the cell ran longer than IJAVA_TIMEOUT=" + config.timeoutMillis() + " ms");
                }
            }, config.timeoutMillis());
        }
        try {
            List<SnippetEvent> events = shell.eval(source);
            String reason = stopReason;
            if (reason != null) {
                throw new CellFailure("Stopped", reason, List.of("Stopped: " + reason));
            }
            return events;
        } finally {
            if (timer != null) {
                timer.cancel();
            }
        }
    }

    private void stop(String reason) {
        stopReason = reason;
        shell.stop();
    }

    private static boolean showsValue(Snippet snippet) {
        return snippet.kind() == Snippet.Kind.EXPRESSION
                || snippet.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND;
    }

    private void check(SnippetEvent event) throws CellFailure {
        Snippet snippet = event.snippet();
        if (event.status() == Snippet.Status.REJECTED
                || event.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED) {
            List<String> lines = new ArrayList<>();
            shell.diagnostics(snippet).forEach(d -> lines.addAll(describe(d, snippet.source())));
            if (snippet instanceof jdk.jshell.DeclarationSnippet declaration) {
                shell.unresolvedDependencies(declaration)
                        .forEach(name -> lines.add("error: cannot find symbol " + name));
            }
            if (lines.isEmpty()) {
                lines.add("error: the snippet was rejected by the compiler");
            }
            throw new CellFailure("CompilationError", String.join("\n", lines), lines);
        }
        JShellException thrown = event.exception();
        if (thrown != null) {
            throw userException(thrown);
        }
    }

    private static List<String> describe(Diag diag, String source) {
        List<String> lines = new ArrayList<>();
        lines.add((diag.isError() ? "error: " : "warning: ") + diag.getMessage(Locale.ROOT));
        long at = diag.getPosition();
        if (at >= 0 && at <= source.length()) {
            int lineStart = source.lastIndexOf('\n', (int) Math.max(0, at - 1)) + 1;
            int lineEnd = source.indexOf('\n', (int) at);
            String line = source.substring(lineStart, lineEnd < 0 ? source.length() : lineEnd);
            lines.add("    " + line);
            lines.add("    " + " ".repeat((int) (at - lineStart)) + "^");
        }
        return lines;
    }

    private static CellFailure userException(JShellException thrown) {
        String name;
        if (thrown instanceof EvalException eval) {
            name = eval.getExceptionClassName();
        } else if (thrown instanceof UnresolvedReferenceException unresolved) {
            name = "UnresolvedReference";
            String message = "the snippet uses " + unresolved.getSnippet().source().strip()
                    + ", which is not defined yet";
            return new CellFailure(name, message, List.of(name + ": " + message));
        } else {
            name = thrown.getClass().getName();
        }
        List<String> lines = new ArrayList<>();
        Throwable t = thrown;
        String prefix = "";
        while (t != null) {
            String className = t instanceof EvalException e ? e.getExceptionClassName() : t.getClass().getName();
            lines.add(prefix + className + (t.getMessage() == null ? "" : ": " + t.getMessage()));
            for (StackTraceElement frame : t.getStackTrace()) {
                String cls = frame.getClassName();
                if (cls.startsWith("jdk.internal.reflect") || cls.startsWith("java.lang.reflect")
                        || cls.startsWith("cn.clinicaltext.workbench.kernel.InProcessExecutionControl")) {
                    break;
                }
                lines.add("    at " + frame);
            }
            t = t.getCause();
            prefix = "Caused by: ";
        }
        return new CellFailure(name, thrown.getMessage() == null ? name : thrown.getMessage(), lines);
    }

    private static CellFailure compilationError(String message, String source) {
        List<String> lines = new ArrayList<>();
        lines.add("error: " + message);
        for (String line : source.split("\n")) {
            lines.add("    " + line);
        }
        return new CellFailure("CompilationError", message, lines);
    }

    @Override
    public List<String> formatError(Exception e) {
        if (e instanceof CellFailure failure) {
            return failure.traceback();
        }
        List<String> lines = new ArrayList<>();
        lines.add(e.getClass().getName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        for (StackTraceElement frame : e.getStackTrace()) {
            lines.add("    at " + frame);
        }
        return lines;
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
        int[] anchor = new int[1];
        List<SourceCodeAnalysis.Suggestion> suggestions =
                shell.sourceCodeAnalysis().completionSuggestions(code, at, anchor);
        Set<String> options = new LinkedHashSet<>();
        for (SourceCodeAnalysis.Suggestion s : suggestions) {
            options.add(s.continuation());
        }
        return options.isEmpty() ? null : new ReplacementOptions(new ArrayList<>(options), anchor[0], at);
    }

    @Override
    public String isComplete(String code) {
        SourceCodeAnalysis.CompletionInfo info = shell.sourceCodeAnalysis().analyzeCompletion(LineMagics.strip(code));
        return switch (info.completeness()) {
            case COMPLETE, COMPLETE_WITH_SEMI, EMPTY -> info.remaining().isBlank() ? IS_COMPLETE_YES : isComplete(info.remaining());
            case DEFINITELY_INCOMPLETE, CONSIDERED_INCOMPLETE -> "    ";
            case UNKNOWN -> IS_COMPLETE_BAD;
        };
    }

    @Override
    public void interrupt() {
        stop("interrupted by the user");
    }

    @Override
    public void onShutdown(boolean isRestarting) {
        shell.close();
    }
}
