package org.vireo.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.vireo.api.model.InvalidSpecException;
import org.vireo.api.model.Units;

/**
 * Turns the text of command options into values. Numeric options arrive as text, so that a
 * negative or malformed number reaches validation (and its {@link InvalidSpecException}) instead
 * of failing in Gogo's argument coercion. Only the syntax is checked here; ranges are checked by
 * the model records, which name the same fields.
 */
final class Args {
    /** The value Gogo hands over for an option that is absent and has no default. */
    static final String ABSENT = "";

    private Args() {
    }

    /**
     * @param text an option value
     * @return whether the option was given
     */
    static boolean given(String text) {
        return text != null && !text.isBlank();
    }

    /**
     * @param field the field named in an error
     * @param option the option that supplies it, e.g. {@code --vcpus N}
     * @param text the option's value
     * @return the value
     * @throws InvalidSpecException if the option was not given
     */
    static String required(String field, String option, String text) {
        if (!given(text)) {
            throw new InvalidSpecException(field, null, "a value given with " + option + " (the option is required)");
        }
        return text.trim();
    }

    /**
     * @param field the field named in an error
     * @param text the text typed
     * @return the integer, whose range the model record checks
     * @throws InvalidSpecException if the text is not an integer that fits in 32 bits
     */
    static int integer(String field, String text) {
        String t = text == null ? "" : text.trim();
        try {
            return Integer.parseInt(t);
        } catch (NumberFormatException e) {
            throw new InvalidSpecException(field, text, "an integer");
        }
    }

    /**
     * @param field the field named in an error
     * @param option the option that supplies it
     * @param text the option's value
     * @return the integer
     */
    static int requiredInteger(String field, String option, String text) {
        return integer(field, required(field, option, text));
    }

    /**
     * @param field the field named in an error
     * @param text a frequency, or {@code unlimited}
     * @return the frequency in MHz, or {@code null} for unlimited
     */
    static Long limitMhz(String field, String text) {
        if (!given(text) || text.trim().toLowerCase(Locale.ROOT).equals("unlimited")) {
            return null;
        }
        return Units.parseMhz(field, text);
    }

    /**
     * Splits each value of a repeatable option at {@code ';'}, so that {@code --disk '10G;20G'}
     * is two disks, like {@code --disk 10G --disk 20G}.
     *
     * @param values the values given, in order
     * @return the non-blank parts, in order
     */
    static List<String> parts(List<String> values) {
        List<String> out = new ArrayList<>();
        for (String v : values) {
            if (v == null) {
                continue;
            }
            for (String part : v.split(";")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
        }
        return out;
    }
}
