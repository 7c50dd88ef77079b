package org.vireo.api.model;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parsing and formatting of the sizes and frequencies people type: {@code 512M}, {@code 4G},
 * {@code 1.5T}, {@code 2400}, {@code 2400MHz}, {@code 2.5GHz}.
 *
 * @since 1.0
 */
public final class Units {
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([KMGT]?)(?:I?B)?", Pattern.CASE_INSENSITIVE);
    private static final Pattern FREQUENCY = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(MHZ|GHZ)?", Pattern.CASE_INSENSITIVE);
    private static final String SIZE_RULE = "a size such as 512M, 4G or 1T (a bare number means MiB)";
    private static final String FREQUENCY_RULE = "a frequency such as 2400, 2400MHz or 2.5GHz (a bare number means MHz)";

    private Units() {
    }

    /**
     * Parses a memory or disk size into MiB. A bare number means MiB; suffixes K, M, G and T
     * (optionally followed by B or iB) are binary multiples.
     *
     * @param field the field name used in the error
     * @param text the text typed
     * @return the size in MiB, rounded up to a whole MiB
     * @throws InvalidSpecException if the text is not a size
     */
    public static long parseMiB(String field, String text) {
        Matcher m = text == null ? null : SIZE.matcher(text.trim());
        if (m == null || !m.matches()) {
            throw new InvalidSpecException(field, text, SIZE_RULE);
        }
        double number = Double.parseDouble(m.group(1));
        double mib = switch (m.group(2).toUpperCase(Locale.ROOT)) {
            case "K" -> number / 1024;
            case "G" -> number * 1024;
            case "T" -> number * 1024 * 1024;
            default -> number;
        };
        if (mib > Long.MAX_VALUE / 2) {
            throw new InvalidSpecException(field, text, SIZE_RULE);
        }
        return (long) Math.ceil(mib);
    }

    /**
     * Parses a frequency into MHz. A bare number means MHz.
     *
     * @param field the field name used in the error
     * @param text the text typed
     * @return the frequency in MHz, rounded to a whole MHz
     * @throws InvalidSpecException if the text is not a frequency
     */
    public static long parseMhz(String field, String text) {
        Matcher m = text == null ? null : FREQUENCY.matcher(text.trim());
        if (m == null || !m.matches()) {
            throw new InvalidSpecException(field, text, FREQUENCY_RULE);
        }
        double number = Double.parseDouble(m.group(1));
        boolean giga = m.group(2) != null && m.group(2).equalsIgnoreCase("GHZ");
        return Math.round(giga ? number * 1000 : number);
    }

    /**
     * @param mib a size in MiB
     * @return the size for people: {@code 512M}, {@code 4G}, {@code 1.5G}
     */
    public static String formatMiB(long mib) {
        if (mib >= 1024 * 1024 && mib % (1024 * 1024) == 0) {
            return mib / (1024 * 1024) + "T";
        }
        if (mib >= 1024) {
            double gib = mib / 1024.0;
            return gib == Math.rint(gib) ? (long) gib + "G" : String.format(Locale.ROOT, "%.1fG", gib);
        }
        return mib + "M";
    }
}
