package org.vireo.core.inventory;

import org.vireo.api.hypervisor.HypervisorType;
import org.vireo.api.hypervisor.TypeProfile;
import org.vireo.api.model.HostSpec;
import org.vireo.api.model.HypervisorKind;

/**
 * A hypervisor type with fixed overheads.
 *
 * @param kind the architecture
 * @param reservedCpuMhz CPU it reserves
 * @param reservedMemoryMiB memory it reserves
 * @param overheadPercent its CPU overhead
 */
record FakeType(HypervisorKind kind, long reservedCpuMhz, long reservedMemoryMiB, double overheadPercent) implements HypervisorType {
    @Override
    public TypeProfile profile(HostSpec host) {
        return new TypeProfile(kind, "fake " + kind.id(), overheadPercent, reservedCpuMhz, reservedMemoryMiB, null, "fake path", 0, true);
    }
}
