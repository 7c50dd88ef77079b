package org.vireo.api.memory;

/**
 * How a strategy takes memory back.
 *
 * @since 1.0
 */
public enum MemoryTechnique {
    /** Content-based page sharing with copy-on-write. */
    SHARING,
    /** A balloon driver in the guest gives pages back. */
    BALLOONING,
    /** The hypervisor writes guest pages to a swap file. */
    SWAPPING,
    /** The hypervisor compresses guest pages in memory. */
    COMPRESSION
}
