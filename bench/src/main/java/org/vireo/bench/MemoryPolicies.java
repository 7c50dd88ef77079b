package org.vireo.bench;

import java.lang.reflect.Proxy;
import java.util.List;
import org.vireo.api.memory.MemoryReclaimPolicy;
import org.vireo.api.memory.MemoryReuseStrategy;
import org.vireo.memory.balloon.BalloonStrategy;
import org.vireo.memory.reclaim.IdleTaxReclaimPolicy;
import org.vireo.memory.sharing.PageSharingStrategy;
import org.vireo.memory.swap.HypervisorSwapStrategy;

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
        return new MemoryPolicies(new IdleTaxReclaimPolicy(defaults(IdleTaxReclaimPolicy.Config.class)),
                List.of(new PageSharingStrategy(defaults(PageSharingStrategy.Config.class)),
                        new BalloonStrategy(defaults(BalloonStrategy.Config.class)),
                        new HypervisorSwapStrategy(defaults(HypervisorSwapStrategy.Config.class))));
    }

    /** An instance of a configuration annotation answering every attribute with its default, as SCR does without configuration. */
    private static <A> A defaults(Class<A> type) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (method.getName().equals("annotationType")) {
                return type;
            }
            Object value = method.getDefaultValue();
            if (value == null) {
                throw new IllegalStateException(type.getName() + "." + method.getName() + " has no default");
            }
            return value;
        }));
    }
}
