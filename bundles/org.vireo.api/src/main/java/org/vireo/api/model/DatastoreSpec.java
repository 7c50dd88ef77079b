package org.vireo.api.model;

import java.io.Serializable;

/**
 * A datastore: where disk files and swap files live.
 *
 * @param name the datastore's name
 * @param capacityGiB its capacity
 * @param latencyMicros the access latency of one 4 KiB page, which a swapped-out page costs
 *        to fault back
 * @param shared whether every host of the cluster sees it (a SAN or NFS volume)
 * @since 1.0
 */
public record DatastoreSpec(String name, long capacityGiB, long latencyMicros, boolean shared) implements Serializable {
    /** A host-local datastore of 1 TiB with SSD latency. */
    public static final DatastoreSpec LOCAL = new DatastoreSpec(DiskSpec.DEFAULT_DATASTORE, 1024, 100, false);

    /** Validates every field; see the record description for the rules. */
    public DatastoreSpec {
        Check.name("datastore.name", name);
        Check.range("datastore." + name + ".capacityGiB", capacityGiB, 1, 1L << 30);
        Check.range("datastore." + name + ".latencyMicros", latencyMicros, 1, 10_000_000);
    }
}
