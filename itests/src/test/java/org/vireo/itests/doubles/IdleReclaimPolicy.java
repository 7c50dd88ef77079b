package org.vireo.itests.doubles;

import java.util.List;
import java.util.Set;
import org.vireo.api.memory.MemoryReclaimPolicy;
import org.vireo.api.memory.MemorySnapshot;
import org.vireo.api.memory.MemoryState;
import org.vireo.api.memory.MemoryTechnique;
import org.vireo.api.memory.ReclaimPlan;

/** A reclaim policy that never reclaims. */
public final class IdleReclaimPolicy implements MemoryReclaimPolicy {
    @Override
    public ReclaimPlan plan(MemorySnapshot host, Set<MemoryTechnique> available) {
        return new ReclaimPlan(MemoryState.HIGH, List.of());
    }
}
