package org.vireo.memory.swap;

import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.vireo.api.memory.MemoryAction;
import org.vireo.api.memory.MemoryReuseStrategy;
import org.vireo.api.memory.MemorySnapshot;
import org.vireo.api.memory.MemoryTechnique;
import org.vireo.api.memory.ReclaimRequest;

/**
 * Hypervisor swap, {@code swap}: the reclaim policy's SWAPPING requests become swap-out and
 * swap-in operations, bounded by {@link SwapPlanner} with the host's configured swap bandwidth
 * (PID {@code org.vireo.memory.swap}). The swap files and the pages in them are the
 * hypervisor's: this component keeps no state and may be replaced or removed while pages are
 * swapped out.
 */
@Component(service = MemoryReuseStrategy.class, configurationPid = HypervisorSwapStrategy.PID,
        property = MemoryReuseStrategy.NAME + "=" + HypervisorSwapStrategy.NAME_VALUE)
@Designate(ocd = HypervisorSwapStrategy.Config.class)
public final class HypervisorSwapStrategy implements MemoryReuseStrategy {
    /** The configuration PID. */
    public static final String PID = "org.vireo.memory.swap";
    /** This strategy's {@code vireo.name}. */
    public static final String NAME_VALUE = "swap";

    /** The host's swap bandwidth. */
    @ObjectClassDefinition(name = "Vireo memory swap",
            description = "How many guest pages the host may write to and read back from swap per interval.")
    public @interface Config {
        /** @return pages swapped out per host per interval */
        @AttributeDefinition(description = "Most guest pages (4 KiB) written to swap per host per interval, all VMs together. Default 16384 (64 MiB).")
        long swapOutPagesPerInterval() default 16_384;

        /** @return pages swapped in ahead of use per host per interval */
        @AttributeDefinition(description = "Most guest pages read back from swap ahead of use per host per interval. Default 16384 (64 MiB).")
        long swapInPagesPerInterval() default 16_384;
    }

    private final SwapPlanner planner;

    /**
     * @param config the configuration
     * @throws org.vireo.api.model.InvalidSpecException naming the property that is out of range
     */
    @Activate
    public HypervisorSwapStrategy(Config config) {
        this.planner = new SwapPlanner(settings(config));
    }

    static SwapSettings settings(Config config) {
        return new SwapSettings(config.swapOutPagesPerInterval(), config.swapInPagesPerInterval());
    }

    @Override
    public MemoryTechnique technique() {
        return MemoryTechnique.SWAPPING;
    }

    @Override
    public List<MemoryAction> actions(MemorySnapshot host, List<ReclaimRequest> requests) {
        return planner.actions(host, requests);
    }
}
