package cn.clinicaltext.workbench.run;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON of run files, strictly read: numbers that must be whole refuse 3.7, numbers refuse "abc", enum values are
 * read by name in any case with '-' or '_', paths as strings; settings laid over a tree refuse unknown names and
 * values of the wrong kind, naming the setting; a tree flattened to "path" → value for comparisons.
 */
final class SettingsJson {
    static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping()
            .registerTypeHierarchyAdapter(Path.class, new PathAdapter())
            .registerTypeAdapterFactory(new LenientEnums()).registerTypeAdapterFactory(new StrictNumbers()).create();

    private SettingsJson() {
    }

    /** A {@code --set} value: its JSON where it parses as JSON, else the bare text as a string. */
    static JsonElement literal(String value) {
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

    static void merge(JsonObject into, JsonObject from, String prefix) {
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
    static List<String> names(JsonObject level) {
        List<String> out = new ArrayList<>();
        level.entrySet().forEach(e -> out.add(e.getValue() instanceof JsonObject group
                ? e.getKey() + " (" + String.join(", ", group.keySet()) + ")" : e.getKey()));
        return out;
    }

    /** Settings given as {@code path=value}, as the partial JSON object of a run file (a value not JSON is a string). */
    static JsonObject assignments(List<String> assignments) {
        JsonObject overrides = new JsonObject();
        for (String a : assignments) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("a setting is path=value (e.g. training.data.maxlen=64), got '" + a
                        + "'");
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
        return overrides;
    }

    static Map<String, String> flatten(JsonObject tree) {
        Map<String, String> out = new LinkedHashMap<>();
        flatten(tree, "", out);
        return out;
    }

    static void flatten(JsonElement e, String path, Map<String, String> out) {
        if (e.isJsonObject()) {
            for (Map.Entry<String, JsonElement> c : e.getAsJsonObject().entrySet()) {
                flatten(c.getValue(), path.isEmpty() ? c.getKey() : path + "." + c.getKey(), out);
            }
        } else {
            out.put(path, e == null || e instanceof JsonNull ? "null" : e.toString());
        }
    }

    /** Paths as plain strings (forward slashes as given). */
    static final class PathAdapter extends TypeAdapter<Path> {
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
    static final class StrictNumbers implements TypeAdapterFactory {
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
    static final class LenientEnums implements TypeAdapterFactory {
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
}
