package org.vireo.hypervisor.qemu;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.vireo.api.cpu.CpuQosPolicy;
import org.vireo.api.inventory.PolicyService;
import org.vireo.api.memory.MemoryReclaimPolicy;
import org.vireo.api.memory.MemoryReuseStrategy;

/**
 * The policies in force, asked once per host per interval so that a swap takes effect at the
 * next one. In the runtime they come from core's {@link PolicyService}; tests pass fixed ones.
 */
interface Policies {
    /** No policy installed: CPU is divided equally per vCPU, no memory is reclaimed, no page sharing. */
    Policies NONE = fixed(null, null, List.of());

    /** @return the active CPU QoS policy, if any */
    Optional<CpuQosPolicy> cpu();

    /** @return the active memory reclaim policy, if any */
    Optional<MemoryReclaimPolicy> memory();

    /** @return every installed memory reuse strategy, highest-ranked first */
    List<MemoryReuseStrategy> strategies();

    /**
     * @param cpu a CPU policy, or null
     * @param memory a reclaim policy, or null
     * @param strategies reuse strategies
     * @return those, always
     */
    static Policies fixed(CpuQosPolicy cpu, MemoryReclaimPolicy memory, List<MemoryReuseStrategy> strategies) {
        List<MemoryReuseStrategy> copy = List.copyOf(strategies);
        return new Policies() {
            @Override
            public Optional<CpuQosPolicy> cpu() {
                return Optional.ofNullable(cpu);
            }

            @Override
            public Optional<MemoryReclaimPolicy> memory() {
                return Optional.ofNullable(memory);
            }

            @Override
            public List<MemoryReuseStrategy> strategies() {
                return copy;
            }
        };
    }

    /**
     * @param service core's policy service, or null while there is none
     * @return the policies that service names active at each call
     */
    static Policies from(Supplier<PolicyService> service) {
        return new Policies() {
            @Override
            public Optional<CpuQosPolicy> cpu() {
                PolicyService p = service.get();
                return p == null ? Optional.empty() : p.active(CpuQosPolicy.class);
            }

            @Override
            public Optional<MemoryReclaimPolicy> memory() {
                PolicyService p = service.get();
                return p == null ? Optional.empty() : p.active(MemoryReclaimPolicy.class);
            }

            @Override
            public List<MemoryReuseStrategy> strategies() {
                PolicyService p = service.get();
                return p == null ? List.of() : p.all(MemoryReuseStrategy.class);
            }
        };
    }
}
