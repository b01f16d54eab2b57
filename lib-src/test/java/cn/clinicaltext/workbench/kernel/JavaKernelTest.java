package cn.clinicaltext.workbench.kernel;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class JavaKernelTest {
    private static JavaKernel kernel;

    @BeforeAll
    static void start() throws Exception {
        kernel = new JavaKernel(new KernelConfig(List.of(), List.of(), "int startupValue = 41;", 3000, List.of()));
        kernel.runStartup();
    }

    @AfterAll
    static void stop() {
        kernel.onShutdown(false);
    }

    @Test
    void lastExpressionIsTheCellsResult() throws Exception {
        DisplayData out = kernel.eval("int a = 20;\nint b = 22;\na + b");
        assertEquals("42", out.getData(MIMEType.TEXT_PLAIN));
    }

    @Test
    void statementsAndDeclarationsShowNothing() throws Exception {
        assertNull(kernel.eval("var list = new ArrayList<String>();\nlist.clear();\n"));
        assertNull(kernel.eval("String s = \"declared\";"));
    }

    @Test
    void startupScriptRan() throws Exception {
        assertEquals("42", kernel.eval("startupValue + 1").getData(MIMEType.TEXT_PLAIN));
    }

    @Test
    void compileErrorFailsTheCellWithPlainTextTraceback() {
        CellFailure failure = assertThrows(CellFailure.class, () -> kernel.eval("int x = \"not an int\";"));
        assertEquals("CompilationError", failure.kind());
        String traceback = String.join("\n", kernel.formatError(failure));
        assertTrue(traceback.contains("incompatible types"), traceback);
        assertFalse(traceback.contains("\u001b["), "no ANSI escapes");
    }

    @Test
    void undefinedSymbolFailsTheCell() {
        CellFailure failure = assertThrows(CellFailure.class, () -> kernel.eval("noSuchVariable + 1"));
        assertEquals("CompilationError", failure.kind());
    }

    @Test
    void exceptionFailsTheCellAndNamesTheException() {
        CellFailure failure = assertThrows(CellFailure.class,
                () -> kernel.eval("int[] arr = new int[1];\nint boom = arr[3];"));
        assertEquals("java.lang.ArrayIndexOutOfBoundsException", failure.kind());
        assertTrue(failure.traceback().get(0).contains("Index 3 out of bounds"), failure.traceback().toString());
    }

    @Test
    void incompleteCellIsAnError() {
        CellFailure failure = assertThrows(CellFailure.class, () -> kernel.eval("int y = (1 + 2"));
        assertEquals("CompilationError", failure.kind());
    }

    @Test
    void cellOverTheTimeoutIsStopped() {
        CellFailure failure = assertThrows(CellFailure.class, () -> kernel.eval("while (true) { }"));
        assertEquals("Stopped", failure.kind());
        assertTrue(failure.getMessage().contains("IJAVA_TIMEOUT"));
    }

    @Test
    void tablesRenderAsHtmlAndText() throws Exception {
        DisplayData out = kernel.eval("tech.tablesaw.api.Table.create(\"t\", tech.tablesaw.api.IntColumn.create(\"n\", 1, 2))");
        assertTrue(((String) out.getData(MIMEType.TEXT_HTML)).contains("<th>n</th>"));
        assertTrue(((String) out.getData(MIMEType.TEXT_PLAIN)).contains("n"));
    }

    @Test
    void chartsRenderAsPng() throws Exception {
        DisplayData out = kernel.eval("var c = new org.knowm.xchart.CategoryChartBuilder().width(200).height(100).build();\n"
                + "c.addSeries(\"s\", List.of(\"a\", \"b\"), List.of(1, 2));\nc");
        String png = (String) out.getData(MIMEType.IMAGE_PNG);
        assertNotNull(png);
        byte[] bytes = Base64.getDecoder().decode(png);
        assertEquals((byte) 0x89, bytes[0]);
        assertEquals('P', bytes[1]);
    }

    @Test
    void completionSuggestsMembers() throws Exception {
        kernel.eval("String completeMe = \"abc\";");
        var options = kernel.complete("completeMe.toUpp", 16);
        assertNotNull(options);
        assertTrue(options.getReplacements().contains("toUpperCase("), options.getReplacements().toString());
    }

    @Test
    void isCompleteTellsIncompleteFromComplete() {
        assertEquals("complete", kernel.isComplete("int z = 1;"));
        assertNotEquals("complete", kernel.isComplete("for (int i = 0; i < 3; i++) {"));
    }

    @Test
    void jarsMagicAddsClassesToTheCell(@TempDir Path dir) throws Exception {
        Path src = dir.resolve("src/demo/Greeter.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, "package demo; public class Greeter { public static String hi() { return \"hi from jar\"; } }");
        Path classes = dir.resolve("classes");
        int rc = javax.tools.ToolProvider.getSystemJavaCompiler()
                .run(null, null, null, "-d", classes.toString(), src.toString());
        assertEquals(0, rc);
        DisplayData out = kernel.eval("%classpath " + classes + "\ndemo.Greeter.hi()");
        assertEquals("hi from jar", out.getData(MIMEType.TEXT_PLAIN));
    }

    @Test
    void startupScriptsFromAGlobRunInOrder(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a.jshell"), "String greeting = \"ni\";");
        Files.writeString(dir.resolve("b.jshell"), "greeting = greeting + \" hao\";");
        JavaKernel other = new JavaKernel(KernelConfig.fromEnvironment(Map.of(
                "IJAVA_STARTUP_SCRIPTS_PATH", dir + "/*.jshell", "IJAVA_STARTUP_SCRIPT", "greeting += \"!\";")));
        try {
            other.runStartup();
            assertEquals("ni hao!", other.eval("greeting").getData(MIMEType.TEXT_PLAIN));
        } finally {
            other.onShutdown(false);
        }
    }

    @Test
    void unknownMagicIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> kernel.eval("%maven foo:bar:1.0\n1"));
    }

    @Test
    void configFromIJavaEnvironment() {
        KernelConfig config = KernelConfig.fromEnvironment(Map.of(
                "IJAVA_CLASSPATH", "a.jar" + File.pathSeparator + "lib/*",
                "IJAVA_TIMEOUT", "5000",
                "IJAVA_COMPILER_OPTS", "-Xlint:all  -parameters"));
        assertEquals(List.of("a.jar", "lib/*"), config.classpath());
        assertEquals(5000, config.timeoutMillis());
        assertEquals(List.of("-Xlint:all", "-parameters"), config.compilerOptions());
        assertThrows(IllegalArgumentException.class,
                () -> KernelConfig.fromEnvironment(Map.of("IJAVA_TIMEOUT", "soon")));
    }
}
