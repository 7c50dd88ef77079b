package org.vireo.api.migration;

/**
 * The ways a VM moves.
 *
 * @since 1.0
 */
public enum MigrationKind {
    /** Live: copy memory while the VM runs, then stop and copy the rest. */
    PRE_COPY,
    /** Live pre-copy with compressed pages. */
    COMPRESSED_PRE_COPY,
    /** Live: switch execution first, fetch pages on demand. */
    POST_COPY,
    /** Move a running VM's disks to another datastore. */
    STORAGE,
    /** Move memory and disks to a host that shares no storage with the source. */
    SHARED_NOTHING
}
