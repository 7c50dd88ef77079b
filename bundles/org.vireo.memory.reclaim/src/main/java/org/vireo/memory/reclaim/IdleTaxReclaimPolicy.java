package org.vireo.memory.reclaim;

import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.vireo.api.memory.MemoryReclaimPolicy;
import org.vireo.api.memory.MemorySnapshot;
import org.vireo.api.memory.MemoryTechnique;
import org.vireo.api.memory.ReclaimPlan;

/**
 * The default memory reclaim policy, {@code idle-tax}: ESX host memory states and reclaim by
 * shares with an idle memory tax. The decision is made by {@link ReclaimPlanner}; this component
 * only carries its configuration (PID {@code org.vireo.memory.reclaim}). It keeps no state
 * between calls, so replacing or reconfiguring it while VMs run loses nothing.
 */
@Component(service = MemoryReclaimPolicy.class, configurationPid = IdleTaxReclaimPolicy.PID,
        property = MemoryReclaimPolicy.NAME + "=" + IdleTaxReclaimPolicy.NAME_VALUE)
@Designate(ocd = IdleTaxReclaimPolicy.Config.class)
public final class IdleTaxReclaimPolicy implements MemoryReclaimPolicy {
    /** The configuration PID. */
    public static final String PID = "org.vireo.memory.reclaim";
    /** This policy's {@code vireo.name}. */
    public static final String NAME_VALUE = "idle-tax";

    /** The policy's tuning; the defaults are the ESX ones. */
    @ObjectClassDefinition(name = "Vireo memory reclaim (idle-tax)",
            description = "Host memory states by free memory and reclaim by shares with an idle memory tax.")
    public @interface Config {
        /** @return free percent at or above which the host is HIGH */
        @AttributeDefinition(description = "Free memory (percent of physical) at or above which the host is HIGH: only page sharing runs.")
        double highFreePercent() default 6.0;

        /** @return free percent at or above which the host is SOFT */
        @AttributeDefinition(description = "Free percent at or above which (below high) the host is SOFT: ballooning reclaims up to the high threshold.")
        double softFreePercent() default 4.0;

        /** @return free percent at or above which the host is HARD */
        @AttributeDefinition(description = "Free percent at or above which (below soft) the host is HARD: ballooning and swapping reclaim up to the soft threshold. Below it the host is LOW.")
        double hardFreePercent() default 2.0;

        /** @return free percent above which reclaimed pages are given back */
        @AttributeDefinition(description = "Free percent above which swapped and ballooned pages are given back (at least highFreePercent).")
        double returnFreePercent() default 8.0;

        /** @return percent of the free memory above returnFreePercent given back per interval */
        @AttributeDefinition(description = "Percent of the free memory above returnFreePercent given back per interval (0 to 100).")
        int returnPercent() default 50;

        /** @return the idle memory tax τ */
        @AttributeDefinition(description = "Idle memory tax tau, 0 to 0.99: an idle page costs 1/(1-tau) times an active one.")
        double idleTax() default 0.75;

        /** @return percent of each VM's reclaim swapped in HARD */
        @AttributeDefinition(description = "In HARD, percent of each VM's reclaim given to swapping when ballooning runs too (0 to 100).")
        int hardSwapPercent() default 50;

        /** @return percent of each VM's reclaim swapped in LOW */
        @AttributeDefinition(description = "In LOW, percent of each VM's reclaim given to swapping when ballooning runs too (0 to 100).")
        int lowSwapPercent() default 75;
    }

    private final ReclaimPlanner planner;

    /**
     * @param config the configuration
     * @throws org.vireo.api.model.InvalidSpecException naming the property that is out of range
     */
    @Activate
    public IdleTaxReclaimPolicy(Config config) {
        this.planner = new ReclaimPlanner(settings(config));
    }

    static ReclaimSettings settings(Config config) {
        return new ReclaimSettings(config.highFreePercent(), config.softFreePercent(), config.hardFreePercent(),
                config.returnFreePercent(), config.returnPercent(), config.idleTax(), config.hardSwapPercent(),
                config.lowSwapPercent());
    }

    @Override
    public ReclaimPlan plan(MemorySnapshot host, Set<MemoryTechnique> available) {
        return planner.plan(host, available);
    }
}
