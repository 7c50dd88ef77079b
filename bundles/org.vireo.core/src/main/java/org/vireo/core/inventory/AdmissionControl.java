package org.vireo.core.inventory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.vireo.api.cpu.Admission;
import org.vireo.api.cpu.CpuDemand;
import org.vireo.api.cpu.CpuQosPolicy;
import org.vireo.api.cpu.CpuSnapshot;
import org.vireo.api.hypervisor.TypeProfile;
import org.vireo.api.inventory.AdmissionException;
import org.vireo.api.model.HostSpec;
import org.vireo.api.model.VireoException;
import org.vireo.api.model.VmSpec;

/**
 * Whether a VM fits a host, checked before it starts and before a running VM's QoS changes.
 * Pure arithmetic over the host, its type's overheads and the VMs that hold resources on it.
 */
public final class AdmissionControl {
    private AdmissionControl() {
    }

    /**
     * @param host the host
     * @param profile its type's overheads
     * @return the CPU left to guests: cores × MHz, less the hypervisor's reservation, less the
     *         virtualization overhead
     */
    public static double cpuCapacity(HostSpec host, TypeProfile profile) {
        double raw = Math.max(0, host.capacityMhz() - profile.reservedCpuMhz());
        return raw * (1 - profile.cpuOverheadPercent() / 100.0);
    }

    /**
     * @param host the host
     * @param profile its type's overheads
     * @return the memory left to guests: host memory less the hypervisor's reservation
     */
    public static long usableMemory(HostSpec host, TypeProfile profile) {
        return Math.max(0, host.memoryMiB() - profile.reservedMemoryMiB());
    }

    /**
     * @param host the host
     * @param profile its type's overheads
     * @param ratio the overcommit ratio
     * @return the most configured memory the active VMs of the host may have together:
     *         {@code ratio} × usable memory, rounded down
     */
    public static long memoryLimit(HostSpec host, TypeProfile profile, double ratio) {
        return (long) Math.floor(ratio * usableMemory(host, profile));
    }

    /**
     * @param host the host
     * @param profile its type's overheads
     * @param holding the VMs holding resources on it (the candidate excluded)
     * @param demandMhz each VM's current demand, where known
     * @return the snapshot a CPU policy's {@code admit} sees
     */
    public static CpuSnapshot cpuSnapshot(HostSpec host, TypeProfile profile, List<VmSpec> holding, Map<String, Double> demandMhz) {
        List<CpuDemand> demands = new ArrayList<>();
        for (VmSpec vm : holding) {
            demands.add(new CpuDemand(vm.name(), vm.vcpus(), vm.cpu(), demandMhz.getOrDefault(vm.name(), 0.0)));
        }
        return new CpuSnapshot(host.name(), cpuCapacity(host, profile), host.mhzPerCore(), demands);
    }

    /**
     * Admits the candidate's CPU reservation: through the active CPU policy when there is
     * one, else by checking that all reservations fit the capacity.
     *
     * @param action what is being done, for the message, e.g. {@code start}
     * @param snapshot the host's CPU and the VMs holding resources
     * @param candidate the VM to admit
     * @param policy the active CPU policy, or {@code null}
     * @param policyName its name, for the message
     * @throws AdmissionException with the policy's reason, or the numbers
     */
    public static void checkCpu(String action, CpuSnapshot snapshot, VmSpec candidate, CpuQosPolicy policy, String policyName) {
        String prefix = "cannot " + action + " VM '" + candidate.name() + "' on host '" + snapshot.host() + "': ";
        if (policy != null) {
            Admission admission;
            try {
                admission = policy.admit(snapshot, candidate);
            } catch (RuntimeException e) {
                throw new VireoException(prefix + "CPU policy '" + policyName + "' failed to decide: " + e, e);
            }
            if (admission == null || !admission.admitted()) {
                String reason = admission == null ? "it gave no decision" : admission.reason();
                throw new AdmissionException(prefix + reason + " (CPU policy '" + policyName + "')");
            }
            return;
        }
        long reserved = 0;
        for (CpuDemand vm : snapshot.vms()) {
            reserved += vm.qos().reservationMhz();
        }
        long asked = candidate.cpu().reservationMhz();
        if (reserved + asked > snapshot.capacityMhz()) {
            throw new AdmissionException(prefix + "CPU reservation of " + asked + " MHz asked, "
                    + mhz(Math.max(0, snapshot.capacityMhz() - reserved)) + " MHz unreserved of " + mhz(snapshot.capacityMhz())
                    + " MHz guest capacity (" + reserved + " MHz reserved by " + snapshot.vms().size() + " other VMs)");
        }
    }

    /**
     * Admits the candidate's memory: the configured memory of the active VMs may reach
     * {@code ratio} × usable memory; their reservations may reach the usable memory.
     *
     * @param action what is being done, for the message
     * @param host the host
     * @param profile its type's overheads
     * @param holding the VMs holding resources on it (the candidate excluded)
     * @param candidate the VM to admit
     * @param overcommit the overcommit ratio that applies to the host, and where it comes from
     * @param checkConfigured whether to check configured memory (not when only a reservation changes)
     * @throws AdmissionException with the numbers
     */
    public static void checkMemory(String action, HostSpec host, TypeProfile profile, List<VmSpec> holding, VmSpec candidate,
            OvercommitRatio overcommit, boolean checkConfigured) {
        String prefix = "cannot " + action + " VM '" + candidate.name() + "' on host '" + host.name() + "': ";
        long usable = usableMemory(host, profile);
        long configured = 0;
        long reserved = 0;
        for (VmSpec vm : holding) {
            configured += vm.memoryMiB();
            reserved += vm.memory().reservationMiB();
        }
        long allowed = memoryLimit(host, profile, overcommit.ratio());
        if (checkConfigured && configured + candidate.memoryMiB() > allowed) {
            throw new AdmissionException(prefix + "memory of " + candidate.memoryMiB() + " MiB asked, "
                    + Math.max(0, allowed - configured) + " MiB left of " + allowed + " MiB allowed (" + overcommit.describe()
                    + " x " + usable + " MiB usable of " + host.memoryMiB() + " MiB host memory; active VMs have " + configured
                    + " MiB)");
        }
        long asked = candidate.memory().reservationMiB();
        if (reserved + asked > usable) {
            throw new AdmissionException(prefix + "memory reservation of " + asked + " MiB asked, " + Math.max(0, usable - reserved)
                    + " MiB unreserved of " + usable + " MiB usable (" + host.memoryMiB() + " MiB host memory less "
                    + profile.reservedMemoryMiB() + " MiB for the hypervisor; active VMs reserve " + reserved + " MiB)");
        }
    }

    private static String mhz(double value) {
        return String.valueOf((long) Math.floor(value));
    }
}
