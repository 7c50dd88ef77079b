package org.vireo.bench;

import java.util.List;
import org.vireo.api.memory.MemoryReclaimPolicy;
import org.vireo.api.memory.MemoryReuseStrategy;
import org.vireo.memory.balloon.BalloonStrategy;
import org.vireo.memory.reclaim.IdleTaxReclaimPolicy;
import org.vireo.memory.sharing.PageSharingStrategy;
import org.vireo.memory.swap.HypervisorSwapStrategy;
import org.vireo.testing.Configs;

/**
 * The runtime's default memory policies built outside OSGi, each with the defaults of its
 * configuration annotation: the {@code idle-tax} reclaim policy and the {@code sharing},
 * {@code balloon} and {@code swap} strategies.
 *
 * @param reclaim the reclaim policy, or {@code null} for none
 * @param strategies the reuse strategies
 */
record MemoryPolicies(MemoryReclaimPolicy reclaim, List<MemoryReuseStrategy> strategies) {
    static final MemoryPolicies NONE = new MemoryPolicies(null, List.of());

    static MemoryPolicies defaults() {
        return new MemoryPolicies(new IdleTaxReclaimPolicy(Configs.defaults(IdleTaxReclaimPolicy.Config.class)),
                List.of(new PageSharingStrategy(Configs.defaults(PageSharingStrategy.Config.class)),
                        new BalloonStrategy(Configs.defaults(BalloonStrategy.Config.class)),
                        new HypervisorSwapStrategy(Configs.defaults(HypervisorSwapStrategy.Config.class))));
    }
}
