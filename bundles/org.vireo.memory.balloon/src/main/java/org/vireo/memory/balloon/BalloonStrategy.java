package org.vireo.memory.balloon;

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
 * Ballooning, {@code balloon}: the reclaim policy's BALLOONING requests become inflate and
 * deflate operations for the guests' balloon drivers, bounded by {@link BalloonPlanner} with the
 * configured rates (PID {@code org.vireo.memory.balloon}). The balloons themselves are the
 * hypervisor's: this component keeps no state and may be replaced or removed while they are
 * inflated.
 */
@Component(service = MemoryReuseStrategy.class, configurationPid = BalloonStrategy.PID,
        property = MemoryReuseStrategy.NAME + "=" + BalloonStrategy.NAME_VALUE)
@Designate(ocd = BalloonStrategy.Config.class)
public final class BalloonStrategy implements MemoryReuseStrategy {
    /** The configuration PID. */
    public static final String PID = "org.vireo.memory.balloon";
    /** This strategy's {@code vireo.name}. */
    public static final String NAME_VALUE = "balloon";

    /** The balloon driver's limits. */
    @ObjectClassDefinition(name = "Vireo memory balloon",
            description = "How fast and how far a guest's balloon may inflate and deflate.")
    public @interface Config {
        /** @return pages a VM's balloon may inflate by per interval */
        @AttributeDefinition(description = "Most guest pages (4 KiB) one VM's balloon inflates by per interval. Default 16384 (64 MiB).")
        long inflatePagesPerInterval() default 16_384;

        /** @return pages a VM's balloon may deflate by per interval */
        @AttributeDefinition(description = "Most guest pages one VM's balloon deflates by per interval. Default 16384 (64 MiB).")
        long deflatePagesPerInterval() default 16_384;

        /** @return the largest balloon in percent of the VM's configured memory */
        @AttributeDefinition(description = "Largest balloon, in percent of the VM's configured memory (0 to 100). Default 65.")
        int maxBalloonPercent() default 65;
    }

    private final BalloonPlanner planner;

    /**
     * @param config the configuration
     * @throws org.vireo.api.model.InvalidSpecException naming the property that is out of range
     */
    @Activate
    public BalloonStrategy(Config config) {
        this.planner = new BalloonPlanner(settings(config));
    }

    static BalloonSettings settings(Config config) {
        return new BalloonSettings(config.inflatePagesPerInterval(), config.deflatePagesPerInterval(),
                config.maxBalloonPercent());
    }

    @Override
    public MemoryTechnique technique() {
        return MemoryTechnique.BALLOONING;
    }

    @Override
    public List<MemoryAction> actions(MemorySnapshot host, List<ReclaimRequest> requests) {
        return planner.actions(host, requests);
    }
}
