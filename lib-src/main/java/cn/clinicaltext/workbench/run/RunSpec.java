package cn.clinicaltext.workbench.run;

import cn.clinicaltext.workbench.io.Setting;
import cn.clinicaltext.workbench.checkpoint.PretrainedStart;
import cn.clinicaltext.workbench.io.Hashes;
import cn.clinicaltext.workbench.io.Records;
import cn.clinicaltext.workbench.data.SplitSettings;
import cn.clinicaltext.workbench.model.ModelSize;
import cn.clinicaltext.workbench.train.Distillation;
import cn.clinicaltext.workbench.train.PretrainingConfig;
import cn.clinicaltext.workbench.train.TrainingConfig;
import cn.clinicaltext.workbench.io.JsonProblems;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Everything that defines a run, in one validated record: where the data is, what the classes are called, the
 * model, the split, every training, pretraining and attribution setting, the seeds. It is the single source of
 * defaults for the notebooks, the command line and {@code ./workbench run}; its presets ({@link #DEFAULT},
 * {@link #ORIGINAL}, {@link #SMOKE}) are the only place defaults are written.
 * <p>
 * The file form ({@value RunFolder#SPEC_FILE}) is JSON: a preset's full settings with any subset overridden, e.g.
 * <pre>{"preset": "default", "data": "mydata", "training": {"maxlen": 64}, "seeds": [42, 43, 44]}</pre>
 * An unknown setting is an error that names it, never silently ignored.
 */
public record RunSpec(
        @Setting("the run's name (its folder under runs/); blank: named from the data folder and a hash "
            + "of every other setting, so a changed setting makes a new run")
        String name,
        @Setting("folder holding all.txt (split by split) or train.txt, val.txt, test.txt (used as they "
            + "are), optionally labels.txt and examples.txt; relative to the project folder")
        Path data,
        @Setting("class names in label order; empty: the data folder's labels.txt, else \"class k\"")
        List<String> labels,
        @Setting("model shape of a random start (a pretrained start has its own)")
        ModelSize model,
        @Setting("where the weights start (PretrainedStart): \"auto\" (Google's ALBERT-tiny in "
            + "albert_tiny_google_zh/ when present, else bge-small-zh-v1.5), \"bge-small-zh-v1.5\", a "
            + "checkpoint folder, or null / \"none\" for a seeded random start")
        String pretrained,
        @Setting("seed, ratios and duplicate policy of the split")
        SplitSettings split,
        @Setting("fine-tuning settings")
        TrainingConfig training,
        @Setting("masked-LM pretraining settings (notebook 07), also the budget of notebook 09's "
            + "task-agnostic distillation")
        PretrainingConfig pretraining,
        @Setting("task-specific distillation settings (temperature, alpha, augmentation; notebook 09, "
            + "distil)")
        Distillation.Settings distillation,
        @Setting("one model is trained per seed (mean and sd reported); the first is the run's main "
            + "model. The one home of the training seed (a model's seed seeds its initialisation, "
            + "batch order and dropout masks)")
        List<Long> seeds,
        @Setting("a class-neutral text put before each text in the attribution position control")
        String neutralPrefix,
        @Setting("texts per split explained in the attribution notebook, 0 = every text")
        int explainTexts,
        @Setting("epoch cap of every start in notebook 07's comparison of starting points (the same "
            + "budget for each, its learning-rate plan fitted to it); 0 = each start's own settings")
        int comparisonEpochs) {

    /**
     * Everyday settings on the shipped corpus: {@link TrainingConfig#FINE_TUNING}, three seeds, a pretrained start
     * (Google's ALBERT-tiny when a user has put it in albert_tiny_google_zh/, else bge-small-zh-v1.5).
     */
    public static final RunSpec DEFAULT = Records.of(RunSpec.class, "name", "", "data", Path.of("data"),
            "labels", List.of(), "model", ModelSize.ALBERT_TINY, "pretrained", PretrainedStart.AUTO,
            "split", SplitSettings.DEFAULT, "training", TrainingConfig.FINE_TUNING,
            // 400 steps (about 7 passes over the shipped training texts, a few minutes here) instead of 2000
            "pretraining", PretrainingConfig.DEFAULT.with("steps", 400, "saveEvery", 50),
            "distillation", Distillation.Settings.DEFAULT, "seeds", List.of(42L, 43L, 44L),
            "neutralPrefix", "以下为报告：", "explainTexts", 0, "comparisonEpochs", 0);

    /**
     * The original experiment: {@link TrainingConfig#ORIGINAL} (maxlen 200, one seed) from Google's ALBERT-tiny in
     * albert_tiny_google_zh/, or from random weights (said everywhere) while that folder holds no checkpoint.
     */
    public static final RunSpec ORIGINAL = DEFAULT.with("training", TrainingConfig.ORIGINAL, "seeds", List.of(42L),
            "pretrained", PretrainedStart.GOOGLE_ALBERT_DIR.toString());

    /** ALBERT-tiny from seeded random weights, with the settings measured for that ({@link TrainingConfig#SCRATCH}). */
    public static final RunSpec SCRATCH = DEFAULT.with("pretrained", null, "training", TrainingConfig.SCRATCH);

    /**
     * The committed demo ({@code ./workbench run} on the shipped synthetic corpus, 2 cores; times and scores in
     * docs/results/timings.md): {@link #DEFAULT} with what that corpus needs, measured. One fine-tuning epoch of
     * bge-small-zh-v1.5 (validation accuracy 0.956, test 0.972 on seed 42; a second epoch adds 0.02 and 45 s per
     * model), every start of notebooks 07 and 09 given the same one epoch (ALBERT-tiny from random weights:
     * validation 0.937), 12 texts per split explained, 30 pretraining steps (notebook 07's masked-LM, notebook 09's
     * task-agnostic distillation: about 2 s a step here with the bge teacher), validated and kept every 6 steps so
     * that their curves have five points, and one augmented copy of each text in notebook 09's transfer set. The
     * last three took the demo from 23.7 to 19.2 minutes (2026-12-05): the students' test accuracy stayed 0.979
     * against the one-epoch teacher's 0.972 (two copies: 0.979 +- 0.006, one: 0.979 +- 0.002, none: 0.909 +- 0.036);
     * the task-agnostic start, fine-tuned, went from 0.976 +- 0.004 (50 steps) to 0.966 +- 0.006 (30 steps).
     */
    public static final RunSpec DEMO = DEFAULT.with("training", TrainingConfig.FINE_TUNING.with("loop.maxEpochs", 1),
            "pretraining", DEFAULT.pretraining().with("steps", 30, "saveEvery", 6), "explainTexts", 12,
            "distillation", DEFAULT.distillation().with("augment", 1), "comparisonEpochs", 1);

    /** A tiny model and a few steps: every notebook in seconds, to check that a set-up runs end to end. */
    public static final RunSpec SMOKE = DEFAULT.with("model", ModelSize.TINY, "pretrained", null,
            "training", TrainingConfig.SCRATCH.with("loop.maxEpochs", 2, "data.maxlen", 64),
            "pretraining", PretrainingConfig.DEFAULT.with("steps", 30, "saveEvery", 10, "maxlen", 64, "batchSize", 16),
            "seeds", List.of(42L, 43L), "explainTexts", 24);

    /** The presets by the name used in files and on the command line. */
    public enum Preset {
        DEFAULT(RunSpec.DEFAULT), ORIGINAL(RunSpec.ORIGINAL), SCRATCH(RunSpec.SCRATCH), SMOKE(RunSpec.SMOKE);

        private final RunSpec spec;

        Preset(RunSpec spec) {
            this.spec = spec;
        }

        public RunSpec spec() {
            return spec;
        }

        public static Preset parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown preset '" + s + "'; presets: default, original, scratch,"
                        + " smoke");
            }
        }
    }

    public RunSpec {
        name = name == null ? "" : name.strip();
        if (!name.isEmpty() && !name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new IllegalArgumentException("run name '" + name + "': use letters, digits, '.', '_' and '-' only"
                    + " (it names a folder)");
        }
        Objects.requireNonNull(data, "data: the folder of the corpus must be given");
        labels = labels == null ? List.of() : List.copyOf(labels);
        if (labels.stream().anyMatch(String::isBlank) || labels.stream().distinct().count() != labels.size()) {
            throw new IllegalArgumentException("labels must be distinct and non-empty, got " + labels);
        }
        if (model == null || split == null || training == null || pretraining == null || distillation == null) {
            throw new IllegalArgumentException("model, split, training, pretraining and distillation must be given");
        }
        seeds = seeds == null ? List.of() : List.copyOf(seeds);
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("seeds is an empty list: give one or more seeds, e.g. [42]");
        }
        if (seeds.stream().distinct().count() != seeds.size()) {
            throw new IllegalArgumentException("seeds must be one or more distinct numbers, got " + seeds);
        }
        neutralPrefix = neutralPrefix == null ? "" : neutralPrefix;
        if (explainTexts < 0) {
            throw new IllegalArgumentException("explainTexts must be >= 0 (0 = every text), got " + explainTexts);
        }
        if (comparisonEpochs < 0) {
            throw new IllegalArgumentException("comparisonEpochs must be >= 0 (0 = each start's own settings), got "
                    + comparisonEpochs);
        }
    }

    /**
     * These settings with the ones at the given paths replaced ({@code with("path", value, ...)}), each record on a
     * path validated again ({@link Records#with}).
     */
    public RunSpec with(Object... pathsAndValues) {
        return Records.with(this, pathsAndValues);
    }

    /** The run's folder name: the given name, or the data folder's name and 8 hex digits of the settings' hash. */
    public String resolvedName() {
        if (!name.isEmpty()) {
            return name;
        }
        Path folder = data.toAbsolutePath().normalize().getFileName();
        String base = folder == null ? "data" : folder.toString().replaceAll("[^A-Za-z0-9._-]", "_");
        return base + "-" + settingsHash().substring(0, 8);
    }

    /** SHA-256 of every setting but the name, in the canonical JSON form. */
    public String settingsHash() {
        JsonObject tree = toJsonTree();
        tree.remove("name");
        return Hashes.sha256(SettingsJson.GSON.toJson(tree).getBytes(StandardCharsets.UTF_8));
    }

    /** Same settings (the name aside). */
    public boolean sameSettings(RunSpec other) {
        return settingsHash().equals(other.settingsHash());
    }

    /** Every setting that differs, as "path: this → other" lines (the name included). */
    public List<String> differences(RunSpec other) {
        Map<String, String> a = SettingsJson.flatten(toJsonTree());
        Map<String, String> b = SettingsJson.flatten(other.toJsonTree());
        List<String> out = new ArrayList<>();
        for (String key : a.keySet()) {
            if (!Objects.equals(a.get(key), b.get(key))) {
                out.add(key + ": " + a.get(key) + " → " + b.get(key));
            }
        }
        return out;
    }

    /** Every setting as "path" → JSON value, in file order. */
    public Map<String, String> flatSettings() {
        return SettingsJson.flatten(toJsonTree());
    }

    // ---- JSON ----

    public JsonObject toJsonTree() {
        return SettingsJson.GSON.toJsonTree(this).getAsJsonObject();
    }

    public String toJson() {
        return SettingsJson.GSON.toJson(toJsonTree()) + "\n";
    }

    /** Reads a run file: a preset (its "preset", default "default") with the file's settings laid over it. */
    public static RunSpec read(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            // a run folder stands for its run file
            if (!Files.isRegularFile(file.resolve(RunFolder.SPEC_FILE))) {
                throw new NoSuchFileException(file + ": a folder with no " + RunFolder.SPEC_FILE + "; give a run file");
            }
            file = file.resolve(RunFolder.SPEC_FILE);
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file + ": no such run file");
        }
        try {
            return parse(text);
        } catch (IllegalArgumentException | JsonParseException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** Parses the JSON form (see {@link #read}). */
    public static RunSpec parse(String json) {
        JsonElement parsed;
        try {
            parsed = JsonParser.parseString(json);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("not valid JSON: " + JsonProblems.describe(e));
        }
        if (!parsed.isJsonObject()) {
            throw new IllegalArgumentException("a run file holds one JSON object, got " + parsed);
        }
        JsonObject given = parsed.getAsJsonObject().deepCopy();
        JsonElement preset = given.remove("preset");
        RunSpec base = preset == null || preset.isJsonNull() ? DEFAULT : Preset.parse(preset.getAsString()).spec();
        return base.with(given);
    }

    /** This spec with the settings of a (partial) JSON object laid over it; unknown settings are errors. */
    public RunSpec with(JsonObject overrides) {
        JsonObject tree = toJsonTree();
        JsonObject given = OlderRunFiles.legacySeed(overrides);
        SettingsJson.merge(tree, OlderRunFiles.legacyTrainingNames(given), "");
        try {
            return SettingsJson.GSON.fromJson(tree, RunSpec.class);
        } catch (RuntimeException e) {
            // Gson wraps what a record's constructor throws: report the validation message itself
            Throwable cause = e;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            throw new IllegalArgumentException(OlderRunFiles.asWritten(cause instanceof IllegalArgumentException
                    ? cause.getMessage() : "a setting has the wrong type: " + JsonProblems.describe(cause), given), e);
        }
    }

    /**
     * This spec with settings given as {@code path=value} (e.g. {@code training.data.maxlen=64},
     * {@code seeds=[42,43]}, {@code split.duplicates=majority}); a value that is not JSON is taken as a string.
     */
    public RunSpec withSettings(List<String> assignments) {
        return with(SettingsJson.assignments(assignments));
    }
}
