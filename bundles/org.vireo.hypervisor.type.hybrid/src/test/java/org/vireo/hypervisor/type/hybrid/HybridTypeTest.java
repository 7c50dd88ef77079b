package org.vireo.hypervisor.type.hybrid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.vireo.api.hypervisor.TypeProfile;
import org.vireo.api.model.HostSpec;
import org.vireo.api.model.HypervisorKind;

class HybridTypeTest {
    private final HybridType type = new HybridType();

    @Test
    void hardwareAssistedWithADeviceModelPerVm() {
        TypeProfile p = type.profile(HostSpec.of("h1", 8, 2400, 32 * 1024, HypervisorKind.HYBRID));
        assertEquals(HypervisorKind.HYBRID, p.kind());
        assertTrue(p.hardwareAssisted());
        assertEquals(2.5, p.cpuOverheadPercent());
        assertEquals(384, p.reservedCpuMhz());
        assertEquals(512 + 327, p.reservedMemoryMiB());
        assertEquals(64, p.perVmMemoryOverheadMiB());
        assertNull(p.privilegedDomain());
    }

    @Test
    void smallHostKeepsTheMinimumCpuAndAtMostAQuarterOfMemory() {
        TypeProfile p = type.profile(HostSpec.of("tiny", 1, 1000, 1024, HypervisorKind.HYBRID));
        assertEquals(100, p.reservedCpuMhz());
        assertEquals(256, p.reservedMemoryMiB());
        assertEquals(HypervisorKind.HYBRID, type.kind());
    }
}
