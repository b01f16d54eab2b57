package cn.clinicaltext.workbench.cli;

import cn.clinicaltext.workbench.io.Records;
import cn.clinicaltext.workbench.run.RunSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ArrayList;
import java.util.List;

/**
 * A run's settings on the command line (run, train): a run file or a preset, then {@code --set path=value}
 * overrides and the common shortcuts. Nothing is defaulted here: every default is {@link RunSpec}'s.
 */
final class SpecOptions {
    @Option(names = "--spec", description = "a run file (run.json) to start from instead of a preset")
    Path specFile;

    @Option(names = "--preset", description = "settings to start from instead of the command's own (its description"
            + " above names them): default (everyday), original (the original experiment's training), scratch"
            + " (ALBERT-tiny from random weights) or smoke (tiny model, few steps)")
    String preset;

    @Option(names = "--name", description = "run name (default: the data folder's name and a hash of the settings)")
    String name;

    @Option(names = "--data-dir", description = "folder with all.txt, or with train.txt/val.txt/test.txt; labels.txt"
            + " beside them names the classes")
    Path dataDir;

    @Option(names = "--seeds", split = ",", description = "one model per seed, e.g. 42,43,44 (the first is the main one)")
    List<Long> seeds;

    @Option(names = "--set", paramLabel = "PATH=VALUE", description = "any setting of the run file, e.g."
            + " training.data.maxlen=64, split.duplicates=majority, labels=[\"no\",\"yes\"] (repeatable)")
    List<String> settings = new ArrayList<>();

    /**
     * The options of {@code command} given on the command line that stand for run settings under {@code group}
     * (their {@code descriptionKey} is the setting's path, e.g. {@code training.loop.maxEpochs}), as {@code --set}
     * assignments: such options are shortcuts for {@code --set}, with no setting copied by hand.
     */
    static List<String> givenSettings(CommandSpec command, String group, OptionSpec... except) {
        List<String> out = new ArrayList<>();
        for (OptionSpec o : command.options()) {
            String key = o.descriptionKey();
            if (key != null && key.startsWith(group) && !List.of(except).contains(o) && o.getValue() != null) {
                out.add(key + "=" + o.getValue());
            }
        }
        return out;
    }

    /** A command's run needs data: --data-dir, or a run file's {@code data}. */
    static void requireData(RunSpec spec) {
        if (spec.data() == null) {
            throw new IllegalArgumentException("--data-dir is required (or a run file given with --spec that names its"
                    + " \"data\"): the folder with train.txt and val.txt");
        }
    }

    /** The run's settings: file or preset, then --set, --data-dir, --seeds and --name. */
    RunSpec spec() throws IOException {
        return spec(RunSpec.DEFAULT);
    }

    /** The same, starting from {@code base} when neither --spec nor --preset is given. */
    RunSpec spec(RunSpec base) throws IOException {
        if (specFile != null && preset != null) {
            throw new IllegalArgumentException("give --spec or --preset, not both (a run file names its preset)");
        }
        RunSpec spec = specFile != null ? RunSpec.read(specFile)
                : preset != null ? RunSpec.Preset.parse(preset).spec() : base;
        spec = spec.withSettings(settings);
        Map<String, Object> b = new LinkedHashMap<>();
        if (dataDir != null) {
            b.put("data", ProjectPaths.typed(dataDir));
        }
        if (seeds != null && !seeds.isEmpty()) {
            b.put("seeds", seeds);
        }
        if (name != null) {
            b.put("name", name);
        }
        return Records.with(spec, b);
    }
}
