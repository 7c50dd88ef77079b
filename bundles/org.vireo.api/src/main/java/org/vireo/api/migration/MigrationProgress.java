package org.vireo.api.migration;

import java.io.Serializable;

/**
 * Where a migration stands after a copy round.
 *
 * @param round the round just finished, from 1
 * @param transferredPages pages sent so far
 * @param remainingDirtyPages pages dirtied since they were sent
 * @param dirtyRatePagesPerSecond how fast the guest dirties memory
 * @param bandwidthPagesPerSecond how fast the link sends pages
 * @param elapsedMillis time since the migration started
 * @since 1.0
 */
public record MigrationProgress(int round, long transferredPages, long remainingDirtyPages,
        double dirtyRatePagesPerSecond, double bandwidthPagesPerSecond, long elapsedMillis) implements Serializable {
}
