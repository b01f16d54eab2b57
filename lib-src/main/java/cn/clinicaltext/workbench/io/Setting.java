package cn.clinicaltext.workbench.io;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What a setting is, on the record component that holds it (Tribuo's {@code @Config}: the field is the setting). Its
 * one home: the settings reference ({@code ./workbench settings}, docs/settings.md) and the command-line help are
 * made from it, with the values of the presets beside it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Setting {
    /** The setting's meaning, units and what 0 or null means, in a sentence or two. */
    String value();
}
