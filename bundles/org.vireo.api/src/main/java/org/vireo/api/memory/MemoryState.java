package org.vireo.api.memory;

/**
 * A host's memory state by free memory, as ESX defines them. The thresholds belong to the
 * reclaim policy.
 *
 * @since 1.0
 */
public enum MemoryState {
    /** Plenty free: only page sharing runs. */
    HIGH,
    /** Getting short: ballooning starts. */
    SOFT,
    /** Short: swapping starts. */
    HARD,
    /** Critically short: reclaim as fast as possible. */
    LOW
}
