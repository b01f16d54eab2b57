package cn.clinicaltext.workbench.io;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;

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
     * {@code record} with the settings at the given paths replaced, in order: {@code path1, value1, path2, value2,
     * ...}. A value's type must be the component's (a boxed number for a primitive; null only for a reference).
     */
    public static <R extends Record> R with(R record, Object... pathsAndValues) {
        if (pathsAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("with(record, path, value, path, value, ...): an odd number of arguments");
        }
        R out = record;
        for (int i = 0; i < pathsAndValues.length; i += 2) {
            out = withOne(out, (String) pathsAndValues[i], pathsAndValues[i + 1]);
        }
        return out;
    }

    private static <R extends Record> R withOne(R record, String path, Object value) {
        int dot = path.indexOf('.');
        String name = dot < 0 ? path : path.substring(0, dot);
        RecordComponent[] components = record.getClass().getRecordComponents();
        Object[] values = new Object[components.length];
        boolean found = false;
        for (int i = 0; i < components.length; i++) {
            values[i] = get(components[i], record);
            if (components[i].getName().equals(name)) {
                found = true;
                if (dot < 0) {
                    values[i] = coerce(components[i].getType(), value, path);
                } else if (values[i] instanceof Record inner) {
                    values[i] = withOne(inner, path.substring(dot + 1), value);
                } else {
                    throw new IllegalArgumentException(record.getClass().getSimpleName() + "." + name
                            + " is not a group of settings: no " + path.substring(dot + 1) + " in it");
                }
            }
        }
        if (!found) {
            throw new IllegalArgumentException("no setting '" + name + "' in " + record.getClass().getSimpleName());
        }
        return construct(record.getClass(), components, values);
    }

    /** A number as the component's number type (5 for a float setting is 5f); anything else as it is. */
    private static Object coerce(Class<?> type, Object value, String path) {
        if (!(value instanceof Number n)) {
            return value;
        }
        if (type == float.class || type == Float.class) {
            return n.floatValue();
        }
        if (type == double.class || type == Double.class) {
            return n.doubleValue();
        }
        boolean integral = n.doubleValue() == Math.rint(n.doubleValue());
        if ((type == int.class || type == Integer.class) && integral) {
            return n.intValue();
        }
        if ((type == long.class || type == Long.class) && integral) {
            return n.longValue();
        }
        throw new IllegalArgumentException(path + ": " + value + " is not a " + type.getSimpleName());
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
