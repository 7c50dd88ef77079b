package org.vireo.hypervisor.qemu;

/**
 * A real guest's CPU demand for the coming interval, estimated from what it did in the last
 * one, for the {@code CpuSnapshot} the CPU policy decides on.
 * <p>
 * What a VM wanted is what it used plus what it waited for: the time its threads were runnable
 * but not running (the run-queue delay of {@code /proc/PID/task/TID/schedstat}, which also
 * counts the time its cgroup was throttled by a quota). So
 * <pre>
 *   raw      = used + ready                                  (MHz over the last interval)
 *   headroom = max(HEADROOM × raw, MIN_HEADROOM_CORES × core MHz)
 *   demand   = min(vCPUs × core MHz, raw + headroom)
 * </pre>
 * The headroom lets a VM whose load grows show it in the next interval instead of being held
 * at its past use; the minimum headroom gives an idle VM a little. Before the first measurement
 * (a VM that has just started) the demand is all its vCPUs can use.
 */
final class DemandEstimator {
    /** Headroom in proportion to what the VM used and waited for. */
    static final double HEADROOM = 0.10;
    /** The least headroom, in cores. */
    static final double MIN_HEADROOM_CORES = 0.05;

    private DemandEstimator() {
    }

    /**
     * @param vcpus the VM's virtual CPUs
     * @param coreMhz one host core's MHz
     * @param usedMhz CPU the VM used over the last interval, or a negative number when not measured yet
     * @param readyMhz CPU time it spent runnable but waiting over the last interval, as MHz (0 if unknown)
     * @return the demand in MHz, 0 to {@code vcpus × coreMhz}
     */
    static double estimate(int vcpus, double coreMhz, double usedMhz, double readyMhz) {
        double capacity = Math.max(0, vcpus) * Math.max(0, coreMhz);
        if (usedMhz < 0 || Double.isNaN(usedMhz)) {
            return capacity;
        }
        double raw = usedMhz + (readyMhz > 0 ? readyMhz : 0);
        double headroom = Math.max(HEADROOM * raw, MIN_HEADROOM_CORES * coreMhz);
        return Math.min(capacity, raw + headroom);
    }
}
