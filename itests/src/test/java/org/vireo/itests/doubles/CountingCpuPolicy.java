package org.vireo.itests.doubles;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.vireo.api.cpu.Admission;
import org.vireo.api.cpu.CpuAllocation;
import org.vireo.api.cpu.CpuEntitlement;
import org.vireo.api.cpu.CpuQosPolicy;
import org.vireo.api.cpu.CpuSnapshot;
import org.vireo.api.model.VmSpec;

/** A CPU policy that entitles every VM to a fixed figure, so its decisions show in the live figures. */
public final class CountingCpuPolicy implements CpuQosPolicy {
    private final double entitledMhz;
    private final AtomicInteger allocations = new AtomicInteger();

    /** @param entitledMhz what every VM is entitled to, capped by its demand */
    public CountingCpuPolicy(double entitledMhz) {
        this.entitledMhz = entitledMhz;
    }

    @Override
    public CpuAllocation allocate(CpuSnapshot host) {
        allocations.incrementAndGet();
        return new CpuAllocation(host.vms().stream()
                .map(vm -> new CpuEntitlement(vm.vm(), Math.min(entitledMhz, vm.demandMhz()), entitledMhz, 1))
                .toList(), List.of());
    }

    @Override
    public Admission admit(CpuSnapshot host, VmSpec candidate) {
        return Admission.granted();
    }

    /** @return how often a hypervisor asked this policy */
    public int allocations() {
        return allocations.get();
    }
}
