package cn.clinicaltext.workbench.io;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one copy helper of settings records: a record with the value at a dotted path replaced
 * ({@code with(config, "loop.maxEpochs", 5)}), built through each record's canonical constructor, so every group
 * on the path validates itself as when it was first made. It stands in for hand-written builders: a setting is a
 * record component, and editing it needs no code of its own.
 */
public final class Records {
    private Records() {
    }

    /**
     * {@code record} with the settings at the given paths replaced: {@code path1, value1, path2, value2, ...}. Every
     * record on a path is made once, with all its edits (so settings that are checked together, such as steps and
     * maxSteps, can change together). A value's type must be the component's (any number for a number setting; null
     * only for a reference).
     */
    public static <R extends Record> R with(R record, Object... pathsAndValues) {
        if (pathsAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("with(record, path, value, path, value, ...): an odd number of arguments");
        }
        Map<String, Object> edits = new LinkedHashMap<>();
        for (int i = 0; i < pathsAndValues.length; i += 2) {
            String path = (String) pathsAndValues[i];
            if (edits.containsKey(path)) {
                throw new IllegalArgumentException(path + " given twice");
            }
            edits.put(path, pathsAndValues[i + 1]);
        }
        return withAll(record, edits, "");
    }

    /**
     * A record made by naming every component ({@code of(Config.class, "maxlen", 128, "batchSize", 32, ...)}): the
     * named form of its canonical constructor, for presets of many settings, where positions would be unreadable.
     * A component left out or named twice, or a name it does not have, is an error.
     */
    public static <R extends Record> R of(Class<R> type, Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("of(type, name, value, name, value, ...): an odd number of arguments");
        }
        RecordComponent[] components = type.getRecordComponents();
        Map<String, Object> given = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            String name = (String) namesAndValues[i];
            if (Arrays.stream(components).noneMatch(c -> c.getName().equals(name))) {
                throw new IllegalArgumentException("no setting '" + name + "' in " + type.getSimpleName());
            }
            if (given.containsKey(name)) {
                throw new IllegalArgumentException(type.getSimpleName() + "." + name + " named twice");
            }
            given.put(name, namesAndValues[i + 1]);
        }
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            String name = components[i].getName();
            if (!given.containsKey(name)) {
                throw new IllegalArgumentException(type.getSimpleName() + "." + name + " is not given");
            }
            values[i] = coerce(components[i].getType(), given.get(name), name);
        }
        return construct(type, components, values);
    }

    /** The same with the edits as a map from path to value, in order (a command's options, say). */
    public static <R extends Record> R with(R record, Map<String, Object> edits) {
        return withAll(record, edits, "");
    }

    /** The record with its edits (paths relative to it) applied, each inner record made once. */
    private static <R extends Record> R withAll(R record, Map<String, Object> edits, String at) {
        RecordComponent[] components = record.getClass().getRecordComponents();
        Map<String, Map<String, Object>> inner = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : edits.entrySet()) {
            String path = e.getKey();
            int dot = path.indexOf('.');
            String name = dot < 0 ? path : path.substring(0, dot);
            if (Arrays.stream(components).noneMatch(c -> c.getName().equals(name))) {
                throw new IllegalArgumentException("no setting '" + at + name + "' in "
                        + record.getClass().getSimpleName());
            }
            if (dot >= 0) {
                inner.computeIfAbsent(name, k -> new LinkedHashMap<>()).put(path.substring(dot + 1), e.getValue());
            }
        }
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            values[i] = get(c, record);
            if (edits.containsKey(c.getName())) {
                values[i] = coerce(c.getType(), edits.get(c.getName()), at + c.getName());
            }
            Map<String, Object> below = inner.get(c.getName());
            if (below != null) {
                if (!(values[i] instanceof Record r)) {
                    throw new IllegalArgumentException(at + c.getName() + " is not a group of settings");
                }
                values[i] = withAll(r, below, at + c.getName() + ".");
            }
        }
        return construct(record.getClass(), components, values);
    }

    /**
     * The value as the component's type: any number for a number setting (5 for a float setting is 5f), refused when
     * it does not fit (a fraction or an out-of-range value for an integer); null only for a reference type; anything
     * else of the component's own type. Errors name the path.
     */
    private static Object coerce(Class<?> type, Object value, String path) {
        if (value == null) {
            if (type.isPrimitive()) {
                throw new IllegalArgumentException(path + " must be given a " + type.getSimpleName() + ", not null");
            }
            return null;
        }
        if (value instanceof Number n && isNumber(type)) {
            double d = n.doubleValue();
            if (type == float.class || type == Float.class) {
                return n.floatValue();
            }
            if (type == double.class || type == Double.class) {
                return d;
            }
            boolean isInt = type == int.class || type == Integer.class;
            long whole = n.longValue();
            if (d != Math.rint(d) || Double.isInfinite(d) || (double) whole != d
                    || isInt && (whole < Integer.MIN_VALUE || whole > Integer.MAX_VALUE)) {
                throw new IllegalArgumentException(path + ": " + value + " is not a whole number that fits a "
                        + type.getSimpleName());
            }
            return isInt ? (Object) (int) whole : (Object) whole;
        }
        Class<?> boxed = type.isPrimitive() ? box(type) : type;
        if (!boxed.isInstance(value)) {
            throw new IllegalArgumentException(path + ": " + value + " (" + value.getClass().getSimpleName()
                    + ") is not a " + type.getSimpleName());
        }
        return value;
    }

    private static boolean isNumber(Class<?> type) {
        return type == int.class || type == long.class || type == float.class || type == double.class
                || type == Integer.class || type == Long.class || type == Float.class || type == Double.class;
    }

    private static Class<?> box(Class<?> primitive) {
        return primitive == boolean.class ? Boolean.class : primitive == int.class ? Integer.class
                : primitive == long.class ? Long.class : primitive == float.class ? Float.class
                : primitive == double.class ? Double.class : primitive == char.class ? Character.class
                : primitive == byte.class ? Byte.class : Short.class;
    }

    private static Object get(RecordComponent c, Record r) {
        try {
            c.getAccessor().setAccessible(true);
            return c.getAccessor().invoke(r);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + c.getName(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static <R extends Record> R construct(Class<?> type, RecordComponent[] components, Object[] values) {
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
        }
        try {
            Constructor<?> canonical = type.getDeclaredConstructor(types);
            canonical.setAccessible(true);
            return (R) canonical.newInstance(values);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;                                   // the record's own validation message
            }
            throw new IllegalStateException(e.getCause());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a value of the wrong type for " + type.getSimpleName() + ": "
                    + e.getMessage(), e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot make a " + type.getSimpleName(), e);
        }
    }
}
