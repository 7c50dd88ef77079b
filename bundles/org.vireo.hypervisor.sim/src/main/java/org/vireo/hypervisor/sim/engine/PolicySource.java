package org.vireo.hypervisor.sim.engine;

import java.util.List;
import java.util.Optional;
import org.vireo.api.cpu.CpuQosPolicy;
import org.vireo.api.memory.MemoryReclaimPolicy;
import org.vireo.api.memory.MemoryReuseStrategy;

/**
 * Where the engine gets the policies in force, asked once per scheduling interval (the memory
 * ones once per reclaim interval), so that a swap takes effect at the next interval. In the
 * OSGi runtime it is backed by core's {@code PolicyService}; the benchmark and the tests pass
 * fixed instances.
 */
@FunctionalInterface
public interface PolicySource {
    /** No policy installed: the engine divides CPU equally among runnable vCPUs and reclaims no memory. */
    PolicySource NONE = Optional::empty;

    /** @return the active CPU QoS policy, or empty for the engine's equal-share fallback */
    Optional<CpuQosPolicy> cpuPolicy();

    /** @return the active memory reclaim policy, or empty: then no reclaim requests are made */
    default Optional<MemoryReclaimPolicy> reclaimPolicy() {
        return Optional.empty();
    }

    /**
     * @return every installed memory reuse strategy, highest-ranked first; of several with the
     *         same technique only the first is used
     */
    default List<MemoryReuseStrategy> reuseStrategies() {
        return List.of();
    }

    /**
     * Fixed policies, for the benchmark and tests.
     *
     * @param cpu the CPU QoS policy, or {@code null}
     * @param reclaim the reclaim policy, or {@code null}
     * @param strategies the reuse strategies, highest-ranked first
     * @return a source that always answers these
     */
    static PolicySource of(CpuQosPolicy cpu, MemoryReclaimPolicy reclaim, List<MemoryReuseStrategy> strategies) {
        List<MemoryReuseStrategy> fixed = List.copyOf(strategies);
        return new PolicySource() {
            @Override
            public Optional<CpuQosPolicy> cpuPolicy() {
                return Optional.ofNullable(cpu);
            }

            @Override
            public Optional<MemoryReclaimPolicy> reclaimPolicy() {
                return Optional.ofNullable(reclaim);
            }

            @Override
            public List<MemoryReuseStrategy> reuseStrategies() {
                return fixed;
            }
        };
    }
}
