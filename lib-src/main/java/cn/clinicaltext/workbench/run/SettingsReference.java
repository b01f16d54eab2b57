package cn.clinicaltext.workbench.run;

import cn.clinicaltext.workbench.io.Setting;
import cn.clinicaltext.workbench.train.LearningRateSchedule;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The settings reference, made from the records that hold the settings: every setting of a run file by its path,
 * its type, what it is ({@link Setting} on its record component) and its value in each preset
 * ({@link RunSpec.Preset}). {@code ./workbench settings} prints it; docs/settings.md holds it between
 * {@value #BEGIN} and {@value #END}, and a test fails when the two differ.
 */
public final class SettingsReference {
    public static final String BEGIN = "<!-- settings:begin -->";
    public static final String END = "<!-- settings:end -->";

    private SettingsReference() {
    }

    /** The reference as Markdown: one table for the run's own settings, one per group. */
    public static String markdown() {
        Map<String, Map<String, String>> presets = new LinkedHashMap<>();
        for (RunSpec.Preset p : RunSpec.Preset.values()) {
            presets.put(p.name().toLowerCase(Locale.ROOT), p.spec().flatSettings());
        }
        List<Section> sections = new ArrayList<>();
        Section top = new Section("run", "the run itself", new ArrayList<>());
        sections.add(top);
        walk(RunSpec.class, "", top, sections);
        StringBuilder md = new StringBuilder();
        md.append("Made by `./workbench settings` from the settings records (`@Setting` on each record component) and the"
                + " presets (").append(presets.keySet().stream().map(p -> "`" + p + "`")
                .collect(Collectors.joining(", "))).append("); a run file sets any of them by path, the command line"
                + " by `--set PATH=VALUE`.\n");
        for (Section s : sections) {
            if (s.rows.isEmpty()) {
                continue;
            }
            md.append("\n### `").append(s.path).append("`: ").append(s.doc).append("\n\n");
            md.append("| setting | type | what it is |");
            presets.keySet().forEach(p -> md.append(' ').append(p).append(" |"));
            md.append("\n|---|---|---|");
            presets.keySet().forEach(p -> md.append("---|"));
            md.append('\n');
            for (RecordComponent c : s.rows) {
                String path = s.path.equals("run") ? c.getName() : s.path + "." + c.getName();
                md.append("| `").append(path).append("` | ").append(typeName(c.getGenericType())).append(" | ")
                        .append(cell(doc(c))).append(" |");
                for (Map<String, String> values : presets.values()) {
                    md.append(' ').append(cell(value(values, path))).append(" |");
                }
                md.append('\n');
            }
        }
        return md.toString();
    }

    /** Groups (records other than value types) become sections; every other component is a row of its section. */
    private static void walk(Class<?> type, String prefix, Section section, List<Section> sections) {
        for (RecordComponent c : type.getRecordComponents()) {
            if (isGroup(c.getType())) {
                Section group = new Section(prefix + c.getName(), doc(c), new ArrayList<>());
                sections.add(group);
                walk(c.getType(), prefix + c.getName() + ".", group, sections);
            } else {
                section.rows.add(c);
            }
        }
    }

    private static boolean isGroup(Class<?> type) {
        return type.isRecord() && type != LearningRateSchedule.class;
    }

    private record Section(String path, String doc, List<RecordComponent> rows) {
    }

    /**
     * What the setting at {@code path} is ({@link Setting}): a run file's path ("training.loop.maxEpochs"), or a
     * component path below another settings record ({@code root}: PretrainingConfig for the pretrain command's own
     * options).
     */
    public static String doc(Class<? extends Record> root, String path) {
        Class<?> type = root;
        RecordComponent found = null;
        for (String part : path.split("\\.")) {
            found = type.isRecord() ? Arrays.stream(type.getRecordComponents()).filter(c -> c.getName().equals(part))
                    .findFirst().orElse(null) : null;
            if (found == null) {
                throw new IllegalArgumentException("no setting " + path + " in " + root.getSimpleName());
            }
            type = found.getType();
        }
        return doc(found);
    }

    private static String doc(RecordComponent c) {
        Setting s = c.getAnnotation(Setting.class);
        if (s == null) {
            throw new IllegalStateException(c.getDeclaringRecord().getSimpleName() + "." + c.getName()
                    + " is a setting without @Setting: say what it is where it is declared");
        }
        return s.value();
    }

    /** A preset's value at a path (a value of several parts, such as a schedule, in its JSON form). */
    private static String value(Map<String, String> values, String path) {
        String v = values.get(path);
        if (v == null) {
            v = values.entrySet().stream().filter(e -> e.getKey().startsWith(path + "."))
                    .map(e -> e.getKey().substring(path.length() + 1) + "=" + e.getValue())
                    .collect(Collectors.joining(", "));
        }
        return "`" + v + "`";
    }

    private static String typeName(Type t) {
        if (t instanceof ParameterizedType p && p.getRawType() == List.class) {
            Type element = p.getActualTypeArguments()[0];
            return "list of " + (element == Long.class || element == Integer.class ? "integers"
                    : element == String.class ? "texts" : element.getTypeName());
        }
        if (!(t instanceof Class<?> c)) {
            return t.getTypeName();
        }
        if (c == int.class || c == long.class) {
            return "integer";
        }
        if (c == Integer.class || c == Long.class) {
            return "integer or null";
        }
        if (c == float.class || c == double.class) {
            return "number";
        }
        if (c == Float.class || c == Double.class) {
            return "number or null";
        }
        if (c == boolean.class) {
            return "true or false";
        }
        if (c == String.class) {
            return "text";
        }
        if (Path.class.isAssignableFrom(c)) {
            return "folder";
        }
        if (c.isEnum()) {
            return "one of " + Arrays.stream(c.getEnumConstants())
                    .map(e -> ((Enum<?>) e).name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
        }
        if (c == LearningRateSchedule.class) {
            return "schedule or null";
        }
        return c.getSimpleName();
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }
}
