package org.vireo.core.inventory;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration {@code org.vireo.core}: admission limits and how often hosts are polled. */
@ObjectClassDefinition(id = Inventory.PID, name = "Vireo core",
        description = "Admission control and monitoring of the inventory of hosts and VMs.")
public @interface CoreConfig {
    /**
     * @return how much configured VM memory a host may carry, as a multiple of its memory less
     *         what its hypervisor type reserves
     */
    @AttributeDefinition(description = "Memory overcommit ratio: the configured memory of the active VMs of a host may reach "
            + "this multiple of its memory less the hypervisor's reservation (0.1 to 100). It applies to every host whose "
            + "cluster has no ratio of its own in clusterOvercommit", min = "0.1", max = "100")
    double overcommitRatio() default Settings.DEFAULT_OVERCOMMIT;

    /**
     * @return the overcommit ratios of clusters, one {@code CLUSTER=RATIO} entry each; an entry
     *         that is not valid is logged and ignored
     */
    @AttributeDefinition(description = "Memory overcommit ratios of clusters, one CLUSTER=RATIO entry each (e.g. prod=2.0; a "
            + "single value may list several, separated by commas): the hosts of a cluster named here use its ratio (0.1 to 100) "
            + "instead of overcommitRatio. An entry that is not valid is logged and ignored: its cluster uses overcommitRatio. "
            + "mem:overcommit shows and changes them", required = false)
    String[] clusterOvercommit() default {};

    /** @return the interval between two polls of a host's hypervisor events, in milliseconds */
    @AttributeDefinition(description = "Interval between two polls of each host's hypervisor events, in milliseconds "
            + "(10 to 60000)", min = "10", max = "60000")
    long monitorIntervalMillis() default Settings.DEFAULT_MONITOR_MILLIS;
}
