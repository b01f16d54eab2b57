package cn.clinicaltext.workbench.cli;

import cn.clinicaltext.workbench.io.AtomicFiles;
import cn.clinicaltext.workbench.run.SettingsReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "settings", mixinStandardHelpOptions = true,
        description = "Prints the settings reference as Markdown: every setting of a run file by its path, its type,"
                + " what it is and its value in each preset (made from the settings records themselves).")
final class SettingsCommand implements Callable<Integer> {
    @Option(names = "--update", paramLabel = "FILE", description = "write it into FILE (docs/settings.md) between the"
            + " lines " + SettingsReference.BEGIN + " and " + SettingsReference.END + " instead of printing it")
    Path update;

    @Override
    public Integer call() throws Exception {
        String reference = SettingsReference.markdown();
        if (update == null) {
            PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
            out.print(reference);
            return 0;
        }
        String text = Files.readString(update, StandardCharsets.UTF_8);
        int begin = text.indexOf(SettingsReference.BEGIN);
        int end = text.indexOf(SettingsReference.END);
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException(update + ": no " + SettingsReference.BEGIN + " ... "
                    + SettingsReference.END + " lines to write the reference between");
        }
        AtomicFiles.writeString(update, text.substring(0, begin + SettingsReference.BEGIN.length()) + "\n" + reference
                + text.substring(end));
        System.out.println("Wrote the settings reference into " + update);
        return 0;
    }
}
