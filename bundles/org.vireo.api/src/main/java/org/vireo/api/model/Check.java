package org.vireo.api.model;

import java.util.regex.Pattern;

/**
 * Validation helpers shared by the model records. Every method throws
 * {@link InvalidSpecException} naming the field, the value and what is allowed.
 *
 * @since 1.0
 */
public final class Check {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    /** What a name may look like, as shown in errors. */
    public static final String NAME_RULE =
            "1 to 63 characters: letters, digits, '.', '_' or '-', starting with a letter or digit";

    private Check() {
    }

    /**
     * A name used for hosts, VMs, datastores and disks; it also names a directory, so it is
     * restricted to characters that are safe in a file name.
     *
     * @param field the field name for the error
     * @param value the candidate
     * @return the value
     */
    public static String name(String field, String value) {
        if (value == null || !NAME.matcher(value).matches() || value.equals(".") || value.equals("..")) {
            throw new InvalidSpecException(field, value, NAME_RULE);
        }
        return value;
    }

    /**
     * @param field the field name for the error
     * @param value the candidate
     * @param min smallest accepted value
     * @param max largest accepted value
     * @return the value
     */
    public static long range(String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw new InvalidSpecException(field, value, "an integer from " + min + " to " + max);
        }
        return value;
    }

    /**
     * @param field the field name for the error
     * @param value the candidate
     * @param min smallest accepted value
     * @param max largest accepted value
     * @return the value
     */
    public static double range(String field, double value, double min, double max) {
        if (Double.isNaN(value) || value < min || value > max) {
            throw new InvalidSpecException(field, value, "a number from " + min + " to " + max);
        }
        return value;
    }

    /**
     * @param field the field name for the error
     * @param value the candidate
     * @param <T> the type
     * @return the value
     */
    public static <T> T present(String field, T value) {
        if (value == null) {
            throw new InvalidSpecException(field, null, "a value (the field is required)");
        }
        return value;
    }
}
