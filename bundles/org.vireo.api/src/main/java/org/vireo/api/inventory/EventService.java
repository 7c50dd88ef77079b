package org.vireo.api.inventory;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The event log: VM, host and policy-swap events, kept in memory (the most recent ten
 * thousand).
 *
 * @since 1.0
 */
@ProviderType
public interface EventService {
    /**
     * @param afterSequence the last sequence already seen (0 for all kept)
     * @return newer events, oldest first
     */
    List<VireoEvent> since(long afterSequence);

    /**
     * @param max how many
     * @return the latest {@code max} events, oldest first
     */
    List<VireoEvent> recent(int max);

    /**
     * Records an event (for extenders: hypervisors and tools may log their own).
     *
     * @param category what it is about
     * @param subject the VM, host or family
     * @param type a short kind
     * @param message for people
     * @return the recorded event
     */
    VireoEvent post(EventCategory category, String subject, String type, String message);
}
