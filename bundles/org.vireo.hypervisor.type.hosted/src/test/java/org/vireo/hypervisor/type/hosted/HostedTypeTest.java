package org.vireo.hypervisor.type.hosted;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.vireo.api.hypervisor.TypeProfile;
import org.vireo.api.model.HostSpec;
import org.vireo.api.model.HypervisorKind;

class HostedTypeTest {
    private final HostedType type = new HostedType();

    @Test
    void hostOsKeepsFivePercentCpuAndOneGibPlusTwoPercentMemory() {
        TypeProfile p = type.profile(HostSpec.of("h1", 8, 2400, 32 * 1024, HypervisorKind.HOSTED));
        assertEquals(HypervisorKind.HOSTED, p.kind());
        assertEquals(960, p.reservedCpuMhz());
        assertEquals(1024 + 655, p.reservedMemoryMiB());
        assertEquals(12.0, p.cpuOverheadPercent());
        assertEquals(128, p.perVmMemoryOverheadMiB());
        assertFalse(p.hardwareAssisted());
        assertNull(p.privilegedDomain());
        assertTrue(p.description().contains("960 MHz"), p.description());
    }

    @Test
    void smallHostKeepsAtMostHalf() {
        TypeProfile p = type.profile(HostSpec.of("tiny", 1, 300, 512, HypervisorKind.HOSTED));
        assertEquals(150, p.reservedCpuMhz());
        assertEquals(256, p.reservedMemoryMiB());
    }

    @Test
    void profileIsAPureFunctionOfTheHost() {
        HostSpec h = HostSpec.of("h1", 16, 3000, 65536, HypervisorKind.HOSTED);
        assertEquals(type.profile(h), type.profile(h));
        assertEquals(HypervisorKind.HOSTED, type.kind());
    }
}
