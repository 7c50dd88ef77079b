package org.vireo.api.model;

import java.util.Locale;

/**
 * On-disk format of a virtual disk.
 *
 * @since 1.0
 */
public enum DiskFormat {
    /** A flat image: every block stored in place. */
    RAW,
    /** Copy-on-write (qcow2-like): allocates on write and may reference a base image. */
    COW;

    /** @return the lower-case name used at the shell and in files */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param field the field name used in the error
     * @param text {@code raw} or {@code cow} (also accepted: {@code qcow2})
     * @return the format
     * @throws InvalidSpecException for any other text
     */
    public static DiskFormat parse(String field, String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "raw" -> RAW;
            case "cow", "qcow2" -> COW;
            default -> throw new InvalidSpecException(field, text, "raw or cow");
        };
    }
}
