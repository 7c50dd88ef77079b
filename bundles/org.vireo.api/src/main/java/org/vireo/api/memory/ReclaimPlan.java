package org.vireo.api.memory;

import java.io.Serializable;
import java.util.List;

/**
 * The reclaim policy's decision for one host and one interval.
 *
 * @param state the host's memory state
 * @param requests what to reclaim from whom, in order of priority
 * @since 1.0
 */
public record ReclaimPlan(MemoryState state, List<ReclaimRequest> requests) implements Serializable {
    /** Copies the list. */
    public ReclaimPlan {
        requests = List.copyOf(requests);
    }
}
