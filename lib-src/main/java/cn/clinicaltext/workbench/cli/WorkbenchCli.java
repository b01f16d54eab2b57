package cn.clinicaltext.workbench.cli;

import cn.clinicaltext.workbench.data.CorpusFormatException;
import cn.clinicaltext.workbench.data.DuplicatePolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import java.util.Locale;

/** {@code ./workbench <command>}: the library's command line; notebooks call the same classes. */
@Command(name = "workbench", mixinStandardHelpOptions = true, version = "workbench 0.1.0",
        description = "ALBERT clinical text workbench: data, training, pretraining, evaluation, prediction and kernel tools.",
        subcommands = {TokenizeCommand.class, GenerateCorpusCommand.class, CheckCorpusCommand.class,
                SplitCommand.class, ImportCommand.class, PrepareRunCommand.class, CompareCommand.class, SettingsCommand.class, InstallKernelCommand.class, BenchCommand.class, TrainCommand.class, DistilCommand.class, PretrainCommand.class, DistilPretrainCommand.class, EvaluateCommand.class, PredictCommand.class, ExplainCommand.class, DiagnoseCommand.class, EncodeCommand.class, ExportCommand.class})
public final class WorkbenchCli {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new WorkbenchCli());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        // "drop-all" as well as DROP_ALL
        cli.registerConverter(DuplicatePolicy.class, s -> {
            try {
                return DuplicatePolicy.valueOf(s.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("'" + s + "' is not one of " + Arrays.stream(
                        DuplicatePolicy.values()).map(p -> p.name().toLowerCase(Locale.ROOT).replace('_', '-')).toList());
            }
        });
        PresetHelp.apply(cli);
        // -V/--version on every command, not only on the top one
        for (CommandLine sub : cli.getSubcommands().values()) {
            sub.getCommandSpec().version(cli.getCommandSpec().version());
        }
        // a value the command line cannot take: the reason in one line and where the options are, not the usage dump
        cli.setParameterExceptionHandler((ex, args) -> {
            CommandLine at = ex.getCommandLine();
            at.getErr().println("error: " + ex.getMessage());
            at.getErr().println("(./" + at.getCommandSpec().qualifiedName() + " --help lists the options)");
            return 2;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getErr().println("error: " + describe(ex));
            if (System.getenv("WORKBENCH_DEBUG") != null) {
                ex.printStackTrace(commandLine.getErr());
            }
            return 1;
        });
        return cli;
    }

    /** A one-line (or, for corpus files, one line per problem) message instead of a stack trace. */
    static String describe(Exception ex) {
        if (ex instanceof CorpusFormatException) {
            return ex.getMessage();
        }
        if (ex instanceof NoSuchFileException nsf) {
            return "no such file: " + nsf.getFile() + (nsf.getReason() == null ? "" : " (" + nsf.getReason() + ")");
        }
        if (ex instanceof AccessDeniedException ade) {
            return "permission denied: " + ade.getFile();
        }
        if (ex instanceof FileSystemException fse && fse.getFile() != null) {
            return fse.getFile() + ": " + (fse.getReason() != null ? fse.getReason() : fse.getClass().getSimpleName());
        }
        if (ex instanceof UncheckedIOException u) {
            return describe(u.getCause());
        }
        if (ex instanceof IOException || ex instanceof IllegalArgumentException || ex instanceof IllegalStateException) {
            return ex.getMessage();
        }
        return ex.toString();
    }
}
