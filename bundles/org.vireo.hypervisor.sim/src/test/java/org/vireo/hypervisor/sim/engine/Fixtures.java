package org.vireo.hypervisor.sim.engine;

import java.util.List;
import org.vireo.api.hypervisor.TypeProfile;
import org.vireo.api.model.CpuQos;
import org.vireo.api.model.HostSpec;
import org.vireo.api.model.HypervisorKind;
import org.vireo.api.model.MemoryQos;
import org.vireo.api.model.VmSpec;
import org.vireo.api.model.WorkloadSpec;

final class Fixtures {
    /** No overhead, no reservation: guest capacity is cores × MHz. */
    static final TypeProfile BARE = new TypeProfile(HypervisorKind.HYBRID, "test: no overhead", 0, 0, 0, null, "direct", 0, true);

    private Fixtures() {
    }

    static HostSpec host(String name, int cores, long mhz, long memoryMiB) {
        return HostSpec.of(name, cores, mhz, memoryMiB, HypervisorKind.HYBRID);
    }

    static VmSpec vm(String name, int vcpus, long memoryMiB, String workload) {
        return new VmSpec(name, vcpus, memoryMiB, CpuQos.DEFAULT, MemoryQos.DEFAULT, List.of(), List.of(),
                WorkloadSpec.parse(workload), VmSpec.DEFAULT_IMAGE);
    }

    static VmSpec cpuBound(String name, int vcpus) {
        return vm(name, vcpus, 256, "custom:cpu=100");
    }
}
