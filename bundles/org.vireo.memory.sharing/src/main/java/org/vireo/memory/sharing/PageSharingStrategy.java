package org.vireo.memory.sharing;

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
import org.vireo.api.model.Check;

/**
 * Content-based page sharing, {@code sharing}: every interval the hypervisor's scanner looks at
 * a configured number of pages (PID {@code org.vireo.memory.sharing}) spread over the VMs by
 * {@link ScanPlanner}, merging identical pages copy-on-write. The merging itself and the page
 * contents are the hypervisor's; this component keeps no state, so it can be replaced or
 * removed at any time without losing a page.
 */
@Component(service = MemoryReuseStrategy.class, configurationPid = PageSharingStrategy.PID,
        property = MemoryReuseStrategy.NAME + "=" + PageSharingStrategy.NAME_VALUE)
@Designate(ocd = PageSharingStrategy.Config.class)
public final class PageSharingStrategy implements MemoryReuseStrategy {
    /** The configuration PID. */
    public static final String PID = "org.vireo.memory.sharing";
    /** This strategy's {@code vireo.name}. */
    public static final String NAME_VALUE = "sharing";
    /** The largest scan budget accepted: 2^40 pages (4 PiB) per interval. */
    public static final long MAX_SCAN_PAGES = 1L << 40;

    /** The scanner's pace. */
    @ObjectClassDefinition(name = "Vireo memory sharing",
            description = "Content-based page sharing: how many guest pages the scanner examines per interval.")
    public @interface Config {
        /** @return pages scanned per host per interval */
        @AttributeDefinition(description = "Guest pages (4 KiB) scanned per host per reclaim interval, spread over the VMs in proportion to their resident pages; 0 pauses the scanner. Default 16384 (64 MiB).")
        long scanPagesPerInterval() default 16_384;
    }

    private final ScanPlanner planner;

    /**
     * @param config the configuration
     * @throws org.vireo.api.model.InvalidSpecException if the scan rate is out of range
     */
    @Activate
    public PageSharingStrategy(Config config) {
        this.planner = new ScanPlanner(Check.range("scanPagesPerInterval", config.scanPagesPerInterval(), 0, MAX_SCAN_PAGES));
    }

    @Override
    public MemoryTechnique technique() {
        return MemoryTechnique.SHARING;
    }

    @Override
    public List<MemoryAction> actions(MemorySnapshot host, List<ReclaimRequest> requests) {
        return planner.actions(host, requests);
    }
}
