package org.vireo.api.memory;

/**
 * An operation a hypervisor carries out on a VM's memory.
 *
 * @since 1.0
 */
public enum MemoryOperation {
    /** Scan pages for identical content and merge them (pages = pages to scan). */
    SHARE_SCAN,
    /** Inflate the balloon by the given number of pages. */
    BALLOON_INFLATE,
    /** Deflate the balloon by the given number of pages. */
    BALLOON_DEFLATE,
    /** Write cold pages to swap. */
    SWAP_OUT,
    /** Read pages back from swap ahead of use. */
    SWAP_IN,
    /** Compress cold pages in memory. */
    COMPRESS
}
