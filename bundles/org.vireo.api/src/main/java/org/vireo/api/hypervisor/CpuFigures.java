package org.vireo.api.hypervisor;

import java.io.Serializable;

/**
 * CPU figures of one VM, measured over the last scheduling interval, except {@code workMhzSeconds}.
 *
 * @param demandMhz what the workload wanted
 * @param entitledMhz what the active CPU QoS decision granted
 * @param usedMhz what the VM actually got
 * @param readyPercent share of the interval the VM was runnable but not running, 0..100
 * @param workMhzSeconds cumulative CPU work done since the VM was first started, in MHz·s;
 *        never decreases while the VM exists, not even across a policy swap
 * @since 1.0
 */
public record CpuFigures(double demandMhz, double entitledMhz, double usedMhz, double readyPercent, double workMhzSeconds)
        implements Serializable {
    /** A VM that has not run. */
    public static final CpuFigures NONE = new CpuFigures(0, 0, 0, 0, 0);
}
