package org.vireo.api.migration;

import java.io.Serializable;

/**
 * What a person asked for.
 *
 * @param vm the VM's name
 * @param destinationHost the target host ({@code null} for a storage-only migration)
 * @param destinationDatastore the target datastore for its disks ({@code null} to keep them)
 * @param maxDowntimeMillis the downtime the person accepts
 * @param bandwidthMbps the bandwidth the migration may use
 * @since 1.0
 */
public record MigrationRequest(String vm, String destinationHost, String destinationDatastore, long maxDowntimeMillis,
        long bandwidthMbps) implements Serializable {
}
