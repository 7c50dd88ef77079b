package org.vireo.hypervisor.sim.engine;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vireo.api.memory.MemoryReclaimPolicy;
import org.vireo.api.memory.MemoryReuseStrategy;
import org.vireo.api.memory.MemoryTechnique;

/**
 * The memory policies in force for one reclaim interval, gathered once for every host: the
 * reclaim policy (or none) and one strategy per technique, the highest-ranked of those that
 * claim it. A strategy whose {@code technique()} fails is left out of this round.
 *
 * @param policy the active reclaim policy, or {@code null}
 * @param policyName its class name for figures and events, or {@code "none"}
 * @param strategies one strategy per technique, in the order of first appearance
 * @param available the techniques of {@code strategies}
 * @param problems what failed while gathering, for the hosts' event logs
 */
record ReclaimRound(MemoryReclaimPolicy policy, String policyName, List<Chosen> strategies, Set<MemoryTechnique> available,
        List<String> problems) {

    /**
     * @param technique the technique
     * @param strategy the strategy that carries it out this round
     */
    record Chosen(MemoryTechnique technique, MemoryReuseStrategy strategy) {
    }

    /** No reclaim policy and no strategy: nothing runs. */
    static final ReclaimRound NONE = new ReclaimRound(null, "none", List.of(), Set.of(), List.of());

    /**
     * @param policy the active reclaim policy, or {@code null}
     * @param installed every installed strategy, highest-ranked first
     * @return the round
     */
    static ReclaimRound of(MemoryReclaimPolicy policy, List<MemoryReuseStrategy> installed) {
        Map<MemoryTechnique, MemoryReuseStrategy> chosen = new EnumMap<>(MemoryTechnique.class);
        List<Chosen> order = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (MemoryReuseStrategy s : installed) {
            MemoryTechnique t;
            try {
                t = s.technique();
            } catch (RuntimeException e) {
                problems.add("memory strategy " + s.getClass().getSimpleName() + " failed to name its technique (" + e
                        + "); left out");
                continue;
            }
            if (t != null && chosen.putIfAbsent(t, s) == null) {
                order.add(new Chosen(t, s));
            }
        }
        Set<MemoryTechnique> available = chosen.isEmpty() ? Set.of() : EnumSet.copyOf(chosen.keySet());
        return new ReclaimRound(policy, policy == null ? "none" : policy.getClass().getSimpleName(), List.copyOf(order),
                available, List.copyOf(problems));
    }
}
