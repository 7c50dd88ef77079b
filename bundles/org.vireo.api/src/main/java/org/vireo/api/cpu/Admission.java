package org.vireo.api.cpu;

import java.io.Serializable;

/**
 * Whether a VM may start (or be resized) on a host.
 *
 * @param admitted whether it fits
 * @param reason when refused, the numbers: what is asked, what is unreserved, on which host
 * @since 1.0
 */
public record Admission(boolean admitted, String reason) implements Serializable {
    private static final Admission GRANTED = new Admission(true, "");

    /** @return an admission */
    public static Admission granted() {
        return GRANTED;
    }

    /**
     * @param reason the numbers
     * @return a refusal
     */
    public static Admission refused(String reason) {
        return new Admission(false, reason);
    }
}
