package org.vireo.hypervisor.qemu;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.vireo.api.cpu.CpuAllocation;
import org.vireo.api.cpu.CpuDemand;
import org.vireo.api.cpu.CpuEntitlement;
import org.vireo.api.cpu.CpuQosPolicy;
import org.vireo.api.cpu.CpuSnapshot;
import org.vireo.api.model.CpuQos;
import org.vireo.cgroups.CgroupCpuMapping;
import org.vireo.cgroups.CgroupCpuSettings;
import org.vireo.cgroups.fill.WaterFill;

/**
 * One host's CPU decision for one interval: the active policy's allocation for the snapshot,
 * and the cgroup settings that enforce it ({@link CgroupCpuMapping}). Without a policy, or when
 * the policy fails or answers for other VMs than the snapshot's, CPU is divided equally per
 * vCPU ({@link #equalPerVcpu}), limits still holding, and the decision says why.
 */
final class CpuControl {
    private CpuControl() {
    }

    /**
     * @param allocation the decision
     * @param settings the cgroup settings of each VM, in the snapshot's order
     * @param problem why the policy's own decision is not the one used, or empty
     */
    record Decision(CpuAllocation allocation, List<CgroupCpuSettings> settings, String problem) {
        Optional<CpuEntitlement> entitlement(String vm) {
            return allocation.entitlements().stream().filter(e -> e.vm().equals(vm)).findFirst();
        }

        Optional<CgroupCpuSettings> settings(String vm) {
            return settings.stream().filter(s -> s.vm().equals(vm)).findFirst();
        }
    }

    /**
     * @param snapshot the host's CPU and its running VMs
     * @param policy the active CPU policy
     * @return the decision and its cgroup settings
     */
    static Decision decide(CpuSnapshot snapshot, Optional<CpuQosPolicy> policy) {
        String problem = "";
        if (policy.isPresent()) {
            try {
                CpuAllocation allocation = policy.get().allocate(snapshot);
                return new Decision(allocation, CgroupCpuMapping.map(snapshot, allocation), "");
            } catch (RuntimeException e) {
                problem = "the CPU policy " + policy.get().getClass().getSimpleName() + " failed on host " + snapshot.host()
                        + " (" + e.getMessage() + "); this interval divides CPU equally per vCPU";
            }
        }
        CpuAllocation equal = equalPerVcpu(snapshot);
        return new Decision(equal, CgroupCpuMapping.map(snapshot, equal), problem);
    }

    /**
     * The decision without a policy: every vCPU gets the same share of the capacity, a VM never
     * more than its demand, its limit or its vCPUs can use, and what one VM leaves goes to the
     * others (max-min fair per vCPU). Caps are the limits; weights are vCPUs ×
     * {@value CpuQos#DEFAULT_SHARES}, so the kernel also divides per vCPU.
     *
     * @param snapshot the host's CPU and its running VMs
     * @return one entitlement per VM
     */
    static CpuAllocation equalPerVcpu(CpuSnapshot snapshot) {
        List<CpuDemand> vms = snapshot.vms();
        int n = vms.size();
        double[] bound = new double[n];
        double[] weights = new double[n];
        double[] entitled = new double[n];
        for (int i = 0; i < n; i++) {
            CpuDemand d = vms.get(i);
            bound[i] = Math.max(0, Math.min(Math.min(d.demandMhz(), d.qos().limitOrInfinity()), d.vcpus() * snapshot.coreMhz()));
            weights[i] = Math.max(1, d.vcpus()); // a VM without vCPUs has bound 0: its weight is moot
        }
        WaterFill.fill(Math.max(0, snapshot.capacityMhz()), new double[n], bound, weights, n, entitled);
        List<CpuEntitlement> entitlements = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            CpuDemand d = vms.get(i);
            entitlements.add(new CpuEntitlement(d.vm(), entitled[i], d.qos().limitOrInfinity(),
                    (long) d.vcpus() * CpuQos.DEFAULT_SHARES));
        }
        return new CpuAllocation(entitlements, List.of());
    }
}
