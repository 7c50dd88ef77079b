package org.vireo.api.memory;

import java.io.Serializable;
import java.util.List;

/**
 * A host's memory at the start of a reclaim interval, in 4 KiB pages.
 *
 * @param host the host's name
 * @param totalPages physical memory
 * @param hypervisorPages memory the hypervisor (or Dom0) keeps for itself
 * @param freePages memory neither used by guests nor by the hypervisor
 * @param vms the VMs holding memory
 * @since 1.0
 */
public record MemorySnapshot(String host, long totalPages, long hypervisorPages, long freePages, List<VmMemory> vms)
        implements Serializable {
    /** Copies the list. */
    public MemorySnapshot {
        vms = List.copyOf(vms);
    }

    /** @return the free fraction of physical memory, 0..1 */
    public double freeFraction() {
        return totalPages == 0 ? 0 : (double) freePages / totalPages;
    }
}
