package org.vireo.hypervisor.sim;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.vireo.api.model.InvalidSpecException;

/** Virtual durations as people type them: {@code 500ms}, {@code 30s}, {@code 10m}, {@code 2h}, {@code 1d}. */
final class Durations {
    private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)?", Pattern.CASE_INSENSITIVE);
    static final String RULE = "a duration such as 500ms, 30s, 10m, 2h or 1d (a bare number means seconds), at most 366d";

    private Durations() {
    }

    static long parseMillis(String field, String text) {
        Matcher m = text == null ? null : FORM.matcher(text.trim());
        if (m == null || !m.matches()) {
            throw new InvalidSpecException(field, text, RULE);
        }
        double n = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase(Locale.ROOT);
        double ms = switch (unit) {
            case "ms" -> n;
            case "m" -> n * 60_000;
            case "h" -> n * 3_600_000;
            case "d" -> n * 86_400_000;
            default -> n * 1000;
        };
        if (ms < 1 || ms > 366 * 86_400_000.0) {
            throw new InvalidSpecException(field, text, RULE);
        }
        return Math.round(ms);
    }

    static String format(long millis) {
        long s = millis / 1000;
        return String.format(Locale.ROOT, "%02d:%02d:%02d%s", s / 3600, s / 60 % 60, s % 60,
                millis % 1000 == 0 ? "" : String.format(Locale.ROOT, ".%03d", millis % 1000));
    }
}
