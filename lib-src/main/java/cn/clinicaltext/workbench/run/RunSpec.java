package cn.clinicaltext.workbench.run;

import cn.clinicaltext.workbench.checkpoint.PretrainedStart;
import cn.clinicaltext.workbench.io.Hashes;
import cn.clinicaltext.workbench.data.SplitSettings;
import cn.clinicaltext.workbench.model.ModelSize;
import cn.clinicaltext.workbench.train.PretrainingConfig;
import cn.clinicaltext.workbench.train.TrainingConfig;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.TypeAdapter;
import com.google.gson.TypeAdapterFactory;
import com.google.gson.reflect.TypeToken;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
 *
 * @param name          the run's name (its folder under {@code runs/}); blank: named from the data folder and a
 *                      hash of every other setting, so a changed setting makes a new run
 * @param data          folder holding {@code all.txt} (split by {@code split}) or {@code train.txt}, {@code val.txt},
 *                      {@code test.txt} (used as they are), optionally {@code labels.txt} and {@code examples.txt};
 *                      relative to the project folder
 * @param labels        class names in label order; empty: the data folder's {@code labels.txt}, else "class k"
 * @param model         model shape of a random start (a pretrained start has its own)
 * @param pretrained    where the weights start ({@link PretrainedStart}): "auto" (Google's ALBERT-tiny in
 *                      albert_tiny_google_zh/ when present, else bge-small-zh-v1.5), "bge-small-zh-v1.5", a
 *                      checkpoint folder, or null / "none" for a seeded random start
 * @param split         seed, ratios and duplicate policy of the split
 * @param training      fine-tuning settings
 * @param pretraining   masked-LM pretraining settings (notebook 07)
 * @param seeds         one model is trained per seed (mean and sd reported); the first is the run's main model.
 *                      The one home of the training seed (a model's seed seeds its initialisation, batch order and
 *                      dropout masks)
 * @param neutralPrefix a class-neutral text put before each text in the attribution position control
 * @param explainTexts  texts per split explained in the attribution notebook, 0 = every text
 * @param comparisonEpochs epoch cap of every start in notebook 07's comparison of starting points (the same budget
 *                      for each, its learning-rate plan fitted to it); 0 = each start's own settings
 */
public record RunSpec(String name, Path data, List<String> labels, ModelSize model, String pretrained,
                      SplitSettings split, TrainingConfig training, PretrainingConfig pretraining, List<Long> seeds,
                      String neutralPrefix, int explainTexts, int comparisonEpochs) {

    /**
     * Everyday settings on the shipped corpus: {@link TrainingConfig#DEFAULT}, three seeds, a pretrained start
     * (Google's ALBERT-tiny when a user has put it in albert_tiny_google_zh/, else bge-small-zh-v1.5).
     */
    public static final RunSpec DEFAULT = new RunSpec("", Path.of("data"), List.of(), ModelSize.ALBERT_TINY,
            PretrainedStart.AUTO, SplitSettings.DEFAULT, TrainingConfig.FINE_TUNING,
            // 400 steps (about 7 passes over the shipped training texts, a few minutes here) instead of 2000
            PretrainingConfig.DEFAULT.toBuilder().steps(400).saveEvery(50).build(),
            List.of(42L, 43L, 44L), "以下为报告：", 0, 0);

    /**
     * The original experiment: {@link TrainingConfig#ORIGINAL} (maxlen 200, one seed) from Google's ALBERT-tiny in
     * albert_tiny_google_zh/, or from random weights (said everywhere) while that folder holds no checkpoint.
     */
    public static final RunSpec ORIGINAL = DEFAULT.toBuilder().training(TrainingConfig.ORIGINAL).seeds(List.of(42L))
            .pretrained(PretrainedStart.GOOGLE_ALBERT_DIR.toString()).build();

    /** ALBERT-tiny from seeded random weights, with the settings measured for that ({@link TrainingConfig#DEFAULT}). */
    public static final RunSpec SCRATCH = DEFAULT.toBuilder().pretrained(null).training(TrainingConfig.DEFAULT).build();

    /**
     * The committed demo ({@code ./workbench run} on the shipped synthetic corpus, 20 minutes or less on 2 cores):
     * {@link #DEFAULT} with what that corpus needs, measured (docs/results/timings.md). One fine-tuning epoch of
     * bge-small-zh-v1.5 (validation accuracy 0.956, test 0.972 on seed 42; a second epoch adds 0.02 and 45 s per
     * model), every start of notebook 07 given the same one epoch (ALBERT-tiny from random weights: validation 0.937),
     * 20 texts per split explained, 100 pretraining steps.
     */
    public static final RunSpec DEMO = DEFAULT.toBuilder()
            .training(TrainingConfig.FINE_TUNING.toBuilder().maxEpochs(1).build())
            .pretraining(DEFAULT.pretraining().toBuilder().steps(100).build()).explainTexts(20).comparisonEpochs(1)
            .build();

    /** A tiny model and a few steps: every notebook in seconds, to check that a set-up runs end to end. */
    public static final RunSpec SMOKE = DEFAULT.toBuilder().model(ModelSize.TINY).pretrained(null)
            .training(TrainingConfig.DEFAULT.toBuilder().maxEpochs(2).maxlen(64).build())
            .pretraining(PretrainingConfig.DEFAULT.toBuilder().steps(30).saveEvery(10).maxlen(64).batchSize(16).build())
            .seeds(List.of(42L, 43L)).explainTexts(24).build();

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
        if (model == null || split == null || training == null || pretraining == null) {
            throw new IllegalArgumentException("model, split, training and pretraining must be given");
        }
        seeds = seeds == null ? List.of() : List.copyOf(seeds);
        if (seeds.isEmpty() || seeds.stream().distinct().count() != seeds.size()) {
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

    public Builder toBuilder() {
        return new Builder(this);
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
        return Hashes.sha256(GSON.toJson(tree).getBytes(StandardCharsets.UTF_8));
    }

    /** Same settings (the name aside). */
    public boolean sameSettings(RunSpec other) {
        return settingsHash().equals(other.settingsHash());
    }

    /** Every setting that differs, as "path: this → other" lines (the name included). */
    public List<String> differences(RunSpec other) {
        Map<String, String> a = flatten(toJsonTree());
        Map<String, String> b = flatten(other.toJsonTree());
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
        return flatten(toJsonTree());
    }

    // ---- JSON ----

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping()
            .registerTypeHierarchyAdapter(Path.class, new PathAdapter())
            .registerTypeAdapterFactory(new LenientEnums()).registerTypeAdapterFactory(new StrictNumbers()).create();

    public JsonObject toJsonTree() {
        return GSON.toJsonTree(this).getAsJsonObject();
    }

    public String toJson() {
        return GSON.toJson(toJsonTree()) + "\n";
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
            throw new IllegalArgumentException("not valid JSON: " + jsonProblem(e));
        }
        if (!parsed.isJsonObject()) {
            throw new IllegalArgumentException("a run file holds one JSON object, got " + parsed);
        }
        JsonObject given = parsed.getAsJsonObject().deepCopy();
        JsonElement preset = given.remove("preset");
        RunSpec base = preset == null || preset.isJsonNull() ? DEFAULT : Preset.parse(preset.getAsString()).spec();
        return base.with(given);
    }

    /** What a JSON parser found, in its own words but without its exception class and help link. */
    private static String jsonProblem(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        String m = String.valueOf(cause.getMessage());
        int link = m.indexOf("\nSee ");
        return (link >= 0 ? m.substring(0, link) : m).strip();
    }

    /**
     * Run files of earlier versions name training settings without their group ({@code training.maxlen}, now
     * {@code training.data.maxlen}); such a name is moved into its group ({@link TrainingConfig#groupOf}), so those
     * files (and {@code --set training.maxlen=64}) are still read. Names no group has are left for the merge to refuse.
     */
    private static JsonObject legacyTrainingNames(JsonObject overrides) {
        if (!(overrides.get("training") instanceof JsonObject training)) {
            return overrides;
        }
        JsonObject copy = overrides.deepCopy();
        JsonObject t = copy.getAsJsonObject("training");
        for (String name : List.copyOf(training.keySet())) {
            String group = TrainingConfig.groupOf(name);
            if (group != null && (!t.has(group) || t.get(group) instanceof JsonObject)) {
                JsonElement value = t.remove(name);
                if (!t.has(group)) {
                    t.add(group, new JsonObject());
                }
                t.getAsJsonObject(group).add(name, value);
            }
        }
        return copy;
    }

    /**
     * Run files written before the seed had one home ({@code seeds}) also hold {@code training.seed}, always the first
     * of their seeds (those versions refused anything else); read so that such a run can be repeated. A lone
     * {@code training.seed} means one model with that seed; beside {@code seeds} it must be their first.
     */
    private static JsonObject legacySeed(JsonObject overrides) {
        if (!(overrides.get("training") instanceof JsonObject training) || !training.has("seed")) {
            return overrides;
        }
        JsonObject copy = overrides.deepCopy();
        JsonElement seed = copy.getAsJsonObject("training").remove("seed");
        if (!copy.has("seeds")) {
            JsonArray one = new JsonArray();
            one.add(seed);
            copy.add("seeds", one);
        } else if (!(copy.get("seeds") instanceof JsonArray seeds) || seeds.isEmpty()
                || !seeds.get(0).equals(seed)) {
            throw new IllegalArgumentException("training.seed " + seed + " differs from the first of seeds "
                    + copy.get("seeds") + "; the seeds are the one seed setting (training.seed is read from older run"
                    + " files only), give seeds alone");
        }
        return copy;
    }

    /** This spec with the settings of a (partial) JSON object laid over it; unknown settings are errors. */
    public RunSpec with(JsonObject overrides) {
        JsonObject tree = toJsonTree();
        JsonObject given = legacySeed(overrides);
        merge(tree, legacyTrainingNames(given), "");
        try {
            return GSON.fromJson(tree, RunSpec.class);
        } catch (RuntimeException e) {
            // Gson wraps what a record's constructor throws: report the validation message itself
            Throwable cause = e;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            throw new IllegalArgumentException(asWritten(cause instanceof IllegalArgumentException ? cause.getMessage()
                    : "a setting has the wrong type: " + jsonProblem(cause), given), e);
        }
    }

    /**
     * A message about a setting given by its flat name ({@code training.batchSize}) names it as written, then its
     * place: 'training.batchSize' (training.data.batchSize).
     */
    private static String asWritten(String message, JsonObject given) {
        if (!(given.get("training") instanceof JsonObject training)) {
            return message;
        }
        for (String name : training.keySet()) {
            String group = TrainingConfig.groupOf(name);
            String grouped = "training." + group + "." + name;
            if (group != null && message.contains("'" + grouped + "'")) {
                return message.replace("'" + grouped + "'", "'training." + name + "' (" + grouped + ")");
            }
        }
        return message;
    }

    /**
     * This spec with settings given as {@code path=value} (e.g. {@code training.data.maxlen=64},
     * {@code seeds=[42,43]}, {@code split.duplicates=majority}); a value that is not JSON is taken as a string.
     */
    public RunSpec withSettings(List<String> assignments) {
        JsonObject overrides = new JsonObject();
        for (String a : assignments) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("a setting is path=value (e.g. training.data.maxlen=64), got '" + a + "'");
            }
            String[] path = a.substring(0, eq).strip().split("\\.");
            JsonObject at = overrides;
            for (int i = 0; i < path.length - 1; i++) {
                if (!at.has(path[i]) || !at.get(path[i]).isJsonObject()) {
                    at.add(path[i], new JsonObject());
                }
                at = at.getAsJsonObject(path[i]);
            }
            at.add(path[path.length - 1], literal(a.substring(eq + 1).strip()));
        }
        return with(overrides);
    }

    private static JsonElement literal(String value) {
        try {
            JsonElement e = JsonParser.parseString(value);
            if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isString() && !value.startsWith("\"")) {
                return new JsonPrimitive(value);            // lenient parsing took a bare word as a string
            }
            return e;
        } catch (JsonParseException e) {
            return new JsonPrimitive(value);
        }
    }

    private static void merge(JsonObject into, JsonObject from, String prefix) {
        for (Map.Entry<String, JsonElement> e : from.entrySet()) {
            String key = prefix + e.getKey();
            if (!into.has(e.getKey())) {
                throw new IllegalArgumentException("unknown setting '" + key + "'; the settings here are "
                        + String.join(", ", names(into)));
            }
            JsonElement target = into.get(e.getKey());
            JsonElement value = e.getValue();
            if (target.isJsonObject() != value.isJsonObject() && !value.isJsonNull()) {
                throw new IllegalArgumentException("setting '" + key + "': " + (target.isJsonObject()
                        ? "a group of settings (" + String.join(", ", target.getAsJsonObject().keySet()) + ")"
                        + " is needed, e.g. " + key + ".NAME=VALUE, got " + value
                        : "a single value is needed, got a group " + value));
            }
            if (target.isJsonArray() && !value.isJsonArray()) {
                throw new IllegalArgumentException("setting '" + key + "': a list is needed, e.g. " + target
                        + ", got " + value);
            }
            if (target.isJsonObject() && value.isJsonObject()) {
                merge(target.getAsJsonObject(), value.getAsJsonObject(), key + ".");
            } else if (target.isJsonPrimitive() && target.getAsJsonPrimitive().isString() && value.isJsonPrimitive()
                    && !value.getAsJsonPrimitive().isString()) {
                into.add(e.getKey(), new JsonPrimitive(value.getAsString()));
            } else {
                into.add(e.getKey(), value);
            }
        }
    }

    /** The settings of a level: a group named with its settings, "data (batchSize, maxlen, ...)". */
    private static List<String> names(JsonObject level) {
        List<String> out = new ArrayList<>();
        level.entrySet().forEach(e -> out.add(e.getValue() instanceof JsonObject group
                ? e.getKey() + " (" + String.join(", ", group.keySet()) + ")" : e.getKey()));
        return out;
    }

    private static Map<String, String> flatten(JsonObject tree) {
        Map<String, String> out = new LinkedHashMap<>();
        flatten(tree, "", out);
        return out;
    }

    private static void flatten(JsonElement e, String path, Map<String, String> out) {
        if (e.isJsonObject()) {
            for (Map.Entry<String, JsonElement> c : e.getAsJsonObject().entrySet()) {
                flatten(c.getValue(), path.isEmpty() ? c.getKey() : path + "." + c.getKey(), out);
            }
        } else {
            out.put(path, e == null || e instanceof JsonNull ? "null" : e.toString());
        }
    }

    /** Paths as plain strings (forward slashes as given). */
    private static final class PathAdapter extends TypeAdapter<Path> {
        @Override
        public void write(JsonWriter out, Path value) throws IOException {
            if (value == null) {
                out.nullValue();
            } else {
                out.value(value.toString());
            }
        }

        @Override
        public Path read(JsonReader in) throws IOException {
            if (in.peek() == JsonToken.NULL) {
                in.nextNull();
                return null;
            }
            String s = in.nextString();
            return s.isBlank() ? null : Path.of(s);
        }
    }

    /**
     * Numbers read strictly: a whole-number setting (batch size, epochs, seeds) refuses 3.7 instead of truncating it
     * to 3, a value out of range or not a number at all is refused, each naming the setting and the value.
     */
    private static final class StrictNumbers implements TypeAdapterFactory {
        @Override
        @SuppressWarnings("unchecked")
        public <T> TypeAdapter<T> create(Gson gson, TypeToken<T> type) {
            Class<?> raw = type.getRawType();
            boolean integer = raw == int.class || raw == Integer.class;
            boolean whole = integer || raw == long.class || raw == Long.class;
            boolean single = raw == float.class || raw == Float.class;
            if (!whole && !single && raw != double.class && raw != Double.class) {
                return null;
            }
            TypeAdapter<T> writer = gson.getDelegateAdapter(this, type);
            return new TypeAdapter<>() {
                @Override
                public void write(JsonWriter out, T value) throws IOException {
                    writer.write(out, value);
                }

                @Override
                public T read(JsonReader in) throws IOException {
                    String setting = in.getPath().replaceFirst("^\\$\\.?", "");
                    if (in.peek() == JsonToken.NULL) {
                        in.nextNull();
                        if (raw.isPrimitive()) {
                            throw new IllegalArgumentException("setting '" + setting + "': a number is needed, got null");
                        }
                        return null;
                    }
                    if (in.peek() != JsonToken.NUMBER && in.peek() != JsonToken.STRING) {
                        throw new IllegalArgumentException("setting '" + setting + "': a number is needed, got "
                                + in.peek().name().toLowerCase(Locale.ROOT).replace('_', ' '));
                    }
                    String given = in.nextString();
                    BigDecimal d;
                    try {
                        d = new BigDecimal(given.strip());
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("setting '" + setting + "': '" + given + "' is not a number");
                    }
                    if (!whole) {
                        return (T) (single ? (Object) d.floatValue() : (Object) d.doubleValue());
                    }
                    try {
                        return (T) (integer ? (Object) d.intValueExact() : (Object) d.longValueExact());
                    } catch (ArithmeticException e) {
                        throw new IllegalArgumentException("setting '" + setting + "': " + given + (d.stripTrailingZeros()
                                .scale() > 0 ? " is not a whole number" : " is out of range"));
                    }
                }
            };
        }
    }

    /**
     * Enum constants by name, case and '-' or '_' aside ("val-macro-f1", "mean", "majority"); anything else is an
     * error that lists the choices.
     */
    private static final class LenientEnums implements TypeAdapterFactory {
        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        public <T> TypeAdapter<T> create(Gson gson, TypeToken<T> type) {
            Class<? super T> raw = type.getRawType();
            if (!Enum.class.isAssignableFrom(raw) || raw == Enum.class) {
                return null;
            }
            Class<? extends Enum> enumType = (Class<? extends Enum>) (raw.isEnum() ? raw : raw.getSuperclass());
            return (TypeAdapter<T>) new TypeAdapter<Enum<?>>() {
                @Override
                public void write(JsonWriter out, Enum<?> value) throws IOException {
                    if (value == null) {
                        out.nullValue();
                    } else {
                        out.value(value.name());
                    }
                }

                @Override
                public Enum<?> read(JsonReader in) throws IOException {
                    if (in.peek() == JsonToken.NULL) {
                        in.nextNull();
                        return null;
                    }
                    String given = in.nextString();
                    String key = given.strip().toUpperCase(Locale.ROOT).replace('-', '_');
                    List<String> names = new ArrayList<>();
                    for (Enum<?> c : enumType.getEnumConstants()) {
                        if (c.name().equals(key)) {
                            return c;
                        }
                        names.add(c.name().toLowerCase(Locale.ROOT));
                    }
                    throw new IllegalArgumentException("'" + given + "' is not one of " + names + " (at "
                            + in.getPath() + ")");
                }
            };
        }
    }

    /** Named construction from a preset. */
    public static final class Builder {
        private String name;
        private Path data;
        private List<String> labels;
        private ModelSize model;
        private String pretrained;
        private SplitSettings split;
        private TrainingConfig training;
        private PretrainingConfig pretraining;
        private List<Long> seeds;
        private String neutralPrefix;
        private int explainTexts;
        private int comparisonEpochs;

        private Builder(RunSpec s) {
            name = s.name;
            data = s.data;
            labels = s.labels;
            model = s.model;
            pretrained = s.pretrained;
            split = s.split;
            training = s.training;
            pretraining = s.pretraining;
            seeds = s.seeds;
            neutralPrefix = s.neutralPrefix;
            explainTexts = s.explainTexts;
            comparisonEpochs = s.comparisonEpochs;
        }

        public Builder name(String v) {
            name = v;
            return this;
        }

        public Builder data(Path v) {
            data = v;
            return this;
        }

        public Builder labels(List<String> v) {
            labels = v;
            return this;
        }

        public Builder model(ModelSize v) {
            model = v;
            return this;
        }

        /** A pretrained start ({@link PretrainedStart#resolve}); null for a random start. */
        public Builder pretrained(String v) {
            pretrained = v;
            return this;
        }

        public Builder split(SplitSettings v) {
            split = v;
            return this;
        }

        public Builder training(TrainingConfig v) {
            training = v;
            return this;
        }

        public Builder pretraining(PretrainingConfig v) {
            pretraining = v;
            return this;
        }

        /** Seeds of the models trained, one model each; the first is the run's main model. */
        public Builder seeds(List<Long> v) {
            seeds = v;
            return this;
        }

        public Builder neutralPrefix(String v) {
            neutralPrefix = v;
            return this;
        }

        public Builder explainTexts(int v) {
            explainTexts = v;
            return this;
        }

        public Builder comparisonEpochs(int v) {
            comparisonEpochs = v;
            return this;
        }

        public RunSpec build() {
            return new RunSpec(name, data, labels, model, pretrained, split, training, pretraining, seeds,
                    neutralPrefix, explainTexts, comparisonEpochs);
        }
    }
}
