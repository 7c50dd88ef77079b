package org.vireo.api.memory;

import java.util.Set;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Decides a host's memory state and who gives memory back. One is active at a time, chosen
 * with {@code policy:use memory NAME}; registered with {@code vireo.name}.
 *
 * @since 1.0
 */
@ConsumerType
public interface MemoryReclaimPolicy {
    /** The service property naming the implementation. */
    String NAME = "vireo.name";

    /**
     * Called by the hypervisor once per host per reclaim interval. Must never request pages
     * under a VM's reservation. Pure function of its arguments.
     *
     * @param host the host's memory
     * @param available the techniques whose strategy bundles are installed
     * @return the host's state and the reclaim requests, highest priority first
     */
    ReclaimPlan plan(MemorySnapshot host, Set<MemoryTechnique> available);
}
