package org.vireo.cpu.fair;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.vireo.api.cpu.CpuAllocation;
import org.vireo.api.cpu.CpuDemand;
import org.vireo.api.cpu.CpuEntitlement;
import org.vireo.api.cpu.CpuSnapshot;
import org.vireo.api.model.CpuQos;
import org.vireo.cgroups.fill.WaterFill;

/**
 * Equal share per vCPU: the decision behind {@link FairSharePolicy}.
 * <p>
 * Every runnable vCPU on the host weighs the same, so a VM's weight is its number of vCPUs. The
 * capacity is divided by weighted water-filling without floors, each VM bounded by
 * {@code min(limit, demand, vCPUs × core MHz)}; what a bounded VM leaves goes to the others,
 * again per vCPU (work-conserving). Shares play no part. Reservations are not honoured and are
 * reported in {@link CpuAllocation#warnings()}. The entitlement's weight, for enforcement by
 * proportional mechanisms, is {@code vCPUs × 1024}, so that a one-vCPU VM weighs what a
 * default cgroup does.
 * <p>
 * Pure functions, no state.
 */
final class FairShare {
    /** The enforcement weight of one vCPU: the default of a cgroup v1 {@code cpu.shares}. */
    static final long WEIGHT_PER_VCPU = 1024;

    private FairShare() {
    }

    /**
     * @param host the host and its runnable VMs
     * @return one entitlement per VM in the snapshot's order: entitled MHz, the limit as cap
     *         (infinite when none), {@code vCPUs × 1024} as weight
     */
    static CpuAllocation allocate(CpuSnapshot host) {
        List<CpuDemand> vms = host.vms();
        int n = vms.size();
        double capacity = positive(host.capacityMhz());
        double coreMhz = positive(host.coreMhz());
        double[] entitled = new double[n]; // no floors: zeros, then the result
        double[] ceilings = new double[n];
        double[] weights = new double[n];
        List<String> warnings = null;
        for (int i = 0; i < n; i++) {
            CpuDemand vm = vms.get(i);
            CpuQos qos = vm.qos();
            weights[i] = vm.vcpus();
            ceilings[i] = Math.min(qos.limitOrInfinity(), Math.min(positive(vm.demandMhz()), vm.vcpus() * coreMhz));
            if (qos.reservationMhz() > 0) {
                warnings = warnings == null ? new ArrayList<>(2) : warnings;
                warnings.add(vm.vm() + ": reservation of " + qos.reservationMhz() + " MHz is not honoured by the fair policy");
            }
        }
        WaterFill.fill(capacity, entitled, ceilings, weights, n, entitled);
        CpuEntitlement[] entitlements = new CpuEntitlement[n];
        for (int i = 0; i < n; i++) {
            CpuDemand vm = vms.get(i);
            entitlements[i] = new CpuEntitlement(vm.vm(), entitled[i], vm.qos().limitOrInfinity(),
                    vm.vcpus() * WEIGHT_PER_VCPU);
        }
        return new CpuAllocation(Arrays.asList(entitlements), warnings == null ? List.of() : warnings);
    }

    private static double positive(double value) {
        return value > 0 ? value : 0;
    }
}
