package org.vireo.api.memory;

import java.io.Serializable;

/**
 * The reclaim policy's order to one strategy: take {@code pages} from {@code vm} (or give them
 * back when negative).
 *
 * @param vm the VM's name
 * @param technique the strategy family to use
 * @param pages pages to reclaim this interval; negative to return pages to the VM
 * @since 1.0
 */
public record ReclaimRequest(String vm, MemoryTechnique technique, long pages) implements Serializable {
}
