package org.vireo.api.memory;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * One way of taking memory back from guests (page sharing, ballooning, swapping, ...),
 * registered with {@code vireo.name}. Every installed strategy is available to the reclaim
 * policy; uninstalling one stops its technique from the next interval, and pages it had
 * reclaimed stay accounted for by the hypervisor.
 *
 * @since 1.0
 */
@ConsumerType
public interface MemoryReuseStrategy {
    /** The service property naming the implementation. */
    String NAME = "vireo.name";

    /**
     * Called when the strategy is registered and by {@code policy:list}.
     *
     * @return the technique this strategy implements
     */
    MemoryTechnique technique();

    /**
     * Turns the reclaim policy's requests for this technique into operations. Called by the
     * hypervisor once per host per interval, also when there are no requests (page sharing
     * scans all the time). Pure function of its arguments and of the strategy's configuration.
     *
     * @param host the host's memory
     * @param requests the requests addressed to this strategy's technique (may be empty)
     * @return the operations to carry out this interval
     */
    List<MemoryAction> actions(MemorySnapshot host, List<ReclaimRequest> requests);
}
