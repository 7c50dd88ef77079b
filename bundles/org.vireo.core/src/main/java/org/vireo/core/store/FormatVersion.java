package org.vireo.core.store;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The version of the saved definition format, {@code MAJOR.MINOR}. A reader accepts every
 * minor of its major (older minors lack fields, newer ones add fields it ignores) and rejects
 * other majors.
 */
public final class FormatVersion {
    /** The version written by this code. */
    public static final String CURRENT = "1.0";
    /** The major version this code reads. */
    public static final int MAJOR = 1;

    private static final Pattern FORM = Pattern.compile("(\\d+)\\.(\\d+)");

    private FormatVersion() {
    }

    /**
     * @param text the {@code format} field as found, or {@code null} when absent
     * @throws UnreadableDocumentException when absent, malformed or of another major version
     */
    public static void check(String text) throws UnreadableDocumentException {
        if (text == null) {
            throw new UnreadableDocumentException("it has no \"format\" field (expected \"" + CURRENT + "\")");
        }
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            throw new UnreadableDocumentException("format '" + text + "' is not a version MAJOR.MINOR (expected \"" + CURRENT + "\")");
        }
        long major;
        try {
            major = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            major = -1;
        }
        if (major != MAJOR) {
            throw new UnreadableDocumentException("format " + text + " is not supported: this version of Vireo reads format "
                    + MAJOR + ".x only");
        }
    }
}
