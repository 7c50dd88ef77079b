package org.vireo.api.migration;

import org.osgi.annotation.versioning.ConsumerType;
import org.vireo.api.hypervisor.HostSnapshot;

/**
 * Decides whether and how a VM moves, registered with {@code vireo.name}; the active one is
 * chosen with {@code policy:use migration NAME}. The hypervisors move the pages; a migration in
 * flight belongs to them and survives a swap of strategy (the new one decides the next round).
 *
 * @since 1.0
 */
@ConsumerType
public interface MigrationStrategy {
    /** The service property naming the implementation. */
    String NAME = "vireo.name";

    /**
     * Checks the constraints and chooses the way to move. Called once before a migration.
     *
     * @param request what was asked
     * @param source the source host
     * @param destination the destination host (the source again for a storage migration)
     * @return the plan, or the violations
     */
    MigrationPlan plan(MigrationRequest request, HostSnapshot source, HostSnapshot destination);

    /**
     * Called by the hypervisor after every copy round.
     *
     * @param plan the plan this migration follows
     * @param progress where it stands
     * @return what to do next
     */
    RoundDecision nextRound(MigrationPlan plan, MigrationProgress progress);
}
