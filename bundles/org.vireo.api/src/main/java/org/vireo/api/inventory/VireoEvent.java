package org.vireo.api.inventory;

import java.io.Serializable;
import java.time.Instant;

/**
 * One entry of the event log.
 *
 * @param sequence increasing from 1 since start-up
 * @param time when it was recorded
 * @param category what it is about
 * @param subject the VM, host or family concerned
 * @param type a short machine-readable kind, e.g. {@code started}, {@code crashed}, {@code swapped}
 * @param message for people
 * @since 1.0
 */
public record VireoEvent(long sequence, Instant time, EventCategory category, String subject, String type,
        String message) implements Serializable {
}
