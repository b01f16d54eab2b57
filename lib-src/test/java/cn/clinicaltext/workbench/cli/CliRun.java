package cn.clinicaltext.workbench.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A workbench command run in this JVM, expected to succeed (what it printed) or to fail (its error). */
final class CliRun {
    private CliRun() {
    }

    static String ok(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            assertEquals(0, WorkbenchCli.commandLine().execute(args), String.join(" ", args));
        } finally {
            System.setOut(old);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** A command expected to refuse its input (exit status 1); the error it printed. */
    static String fails(String... args) {
        StringWriter err = new StringWriter();
        var cli = WorkbenchCli.commandLine();
        cli.setErr(new PrintWriter(err));
        assertEquals(1, cli.execute(args), String.join(" ", args) + ": " + err);
        return err.toString();
    }
}
