package org.vireo.api.inventory;

import java.io.Serializable;
import java.util.List;
import org.vireo.api.memory.MemoryState;

/**
 * A host's memory as {@code mem:show} presents it, in MiB.
 *
 * @param host the host's name
 * @param policy the active reclaim policy's name, or empty when none is installed
 * @param state the host's memory state (by the active reclaim policy; {@code HIGH} when none)
 * @param totalMiB physical memory
 * @param hypervisorMiB memory the hypervisor (or Dom0) keeps
 * @param freeMiB free memory
 * @param sharedSavedMiB memory saved by page sharing
 * @param overcommitLimitMiB the most configured guest memory the host admits
 * @param vms one row per VM holding memory
 * @since 1.0
 */
public record MemoryReport(String host, String policy, MemoryState state, long totalMiB, long hypervisorMiB,
        long freeMiB, long sharedSavedMiB, long overcommitLimitMiB, List<VmMemoryQos> vms) implements Serializable {
    /** Copies the list. */
    public MemoryReport {
        vms = List.copyOf(vms);
    }
}
