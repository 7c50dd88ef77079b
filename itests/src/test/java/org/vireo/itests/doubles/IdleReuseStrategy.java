package org.vireo.itests.doubles;

import java.util.List;
import org.vireo.api.memory.MemoryAction;
import org.vireo.api.memory.MemoryReuseStrategy;
import org.vireo.api.memory.MemorySnapshot;
import org.vireo.api.memory.MemoryTechnique;
import org.vireo.api.memory.ReclaimRequest;

/** A reuse strategy that claims a technique and never acts. */
public final class IdleReuseStrategy implements MemoryReuseStrategy {
    private final MemoryTechnique technique;

    /** @param technique the technique it claims */
    public IdleReuseStrategy(MemoryTechnique technique) {
        this.technique = technique;
    }

    @Override
    public MemoryTechnique technique() {
        return technique;
    }

    @Override
    public List<MemoryAction> actions(MemorySnapshot host, List<ReclaimRequest> requests) {
        return List.of();
    }
}
