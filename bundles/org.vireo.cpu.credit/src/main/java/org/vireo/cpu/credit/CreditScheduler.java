package org.vireo.cpu.credit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.vireo.api.cpu.CpuAllocation;
import org.vireo.api.cpu.CpuDemand;
import org.vireo.api.cpu.CpuEntitlement;
import org.vireo.api.cpu.CpuSnapshot;
import org.vireo.api.model.Check;
import org.vireo.api.model.CpuQos;
import org.vireo.cgroups.fill.WaterFill;

/**
 * Xen credit-scheduler semantics: the decision behind {@link CreditPolicy}.
 * <p>
 * Each VM has a <b>weight</b> and a <b>cap</b>, taken from its CPU QoS:
 * <ul>
 * <li>weight = {@code round(shares × defaultWeight / 1000)}, bounded to Xen's 1..65535, so a VM
 * with the default 1000 shares weighs {@code defaultWeight} (Xen's default 256);</li>
 * <li>cap = {@code floor(limit × 100 / core MHz)} percent of one core, at least 1, or 0 (none)
 * without a limit; like Xen's it may exceed 100 for a VM with several vCPUs. Rounding down keeps
 * the VM within its limit; a limit below 1% of a core is raised to 1% and a warning says so.</li>
 * </ul>
 * The host's capacity is divided among the runnable VMs in proportion to their weights, each VM
 * bounded by its cap, its demand and its vCPUs × core MHz; what a bounded VM leaves goes to the
 * others in proportion to their weights (work-conserving, as the credit scheduler is without
 * caps). This is weighted water-filling without floors. There are no reservations: a VM's
 * reservation is reported in {@link CpuAllocation#warnings()} as not honoured, never dropped
 * silently.
 * <p>
 * Immutable, no per-VM state.
 */
final class CreditScheduler {
    /** Xen's default weight. */
    static final int DEFAULT_WEIGHT = 256;
    /** Xen's smallest weight. */
    static final int MIN_WEIGHT = 1;
    /** Xen's largest weight. */
    static final int MAX_WEIGHT = 65_535;

    private final int defaultWeight;

    /**
     * @param defaultWeight the weight of a VM with {@link CpuQos#DEFAULT_SHARES default shares},
     *        {@value #MIN_WEIGHT} to {@value #MAX_WEIGHT}
     * @throws org.vireo.api.model.InvalidSpecException for a weight out of range
     */
    CreditScheduler(int defaultWeight) {
        this.defaultWeight = (int) Check.range("defaultWeight", defaultWeight, MIN_WEIGHT, MAX_WEIGHT);
    }

    /**
     * @param shares a VM's shares
     * @return its credit weight: {@code round(shares × defaultWeight / 1000)} within 1..65535
     */
    int weight(int shares) {
        long weight = Math.round((double) shares * defaultWeight / CpuQos.DEFAULT_SHARES);
        return (int) Math.max(MIN_WEIGHT, Math.min(MAX_WEIGHT, weight));
    }

    /**
     * @param qos a VM's CPU QoS
     * @param coreMhz one core's MHz
     * @return its credit cap in percent of one core: {@code floor(limit × 100 / coreMhz)}, at
     *         least 1; 0 when it has no limit (or the core's speed is unknown)
     */
    static long capPercent(CpuQos qos, double coreMhz) {
        if (!qos.isLimited() || !(coreMhz > 0)) {
            return 0;
        }
        // the small epsilon keeps an exact ratio (2000 of 4000 MHz) from flooring to 49
        return Math.max(1, (long) Math.floor(qos.limitMhz() * 100.0 / coreMhz + 1e-9));
    }

    /**
     * @param host the host and its runnable VMs
     * @return one entitlement per VM in the snapshot's order: entitled MHz, the cap in MHz
     *         (infinite for none), the credit weight
     */
    CpuAllocation allocate(CpuSnapshot host) {
        List<CpuDemand> vms = host.vms();
        int n = vms.size();
        double capacity = positive(host.capacityMhz());
        double coreMhz = positive(host.coreMhz());
        double[] entitled = new double[n]; // no floors: zeros, then the result
        double[] caps = new double[n];
        double[] ceilings = new double[n];
        double[] weights = new double[n];
        List<String> warnings = null;
        for (int i = 0; i < n; i++) {
            CpuDemand vm = vms.get(i);
            CpuQos qos = vm.qos();
            long capPercent = capPercent(qos, coreMhz);
            caps[i] = capPercent == 0 ? Double.POSITIVE_INFINITY : capPercent * coreMhz / 100;
            weights[i] = weight(qos.shares());
            ceilings[i] = Math.min(caps[i], Math.min(positive(vm.demandMhz()), vm.vcpus() * coreMhz));
            if (qos.reservationMhz() > 0) {
                warnings = add(warnings, vm.vm() + ": reservation of " + qos.reservationMhz()
                        + " MHz is not honoured by the credit policy");
            }
            if (qos.isLimited() && caps[i] > qos.limitMhz()) {
                warnings = add(warnings, vm.vm() + ": limit of " + qos.limitMhz() + " MHz is below the credit policy's"
                        + " smallest cap, 1% of a " + mhz(coreMhz) + " MHz core; capped at " + mhz(caps[i]) + " MHz");
            }
        }
        WaterFill.fill(capacity, entitled, ceilings, weights, n, entitled);
        CpuEntitlement[] entitlements = new CpuEntitlement[n];
        for (int i = 0; i < n; i++) {
            entitlements[i] = new CpuEntitlement(vms.get(i).vm(), entitled[i], caps[i], (long) weights[i]);
        }
        return new CpuAllocation(Arrays.asList(entitlements), warnings == null ? List.of() : warnings);
    }

    private static double positive(double value) {
        return value > 0 ? value : 0;
    }

    private static List<String> add(List<String> warnings, String warning) {
        List<String> list = warnings == null ? new ArrayList<>(2) : warnings;
        list.add(warning);
        return list;
    }

    private static String mhz(double value) {
        double tenths = Math.round(value * 10) / 10.0;
        return tenths == Math.rint(tenths) ? Long.toString((long) tenths) : String.format(Locale.ROOT, "%.1f", tenths);
    }
}
