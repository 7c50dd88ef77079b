package org.vireo.hypervisor.type.baremetal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.vireo.api.hypervisor.TypeProfile;
import org.vireo.api.model.HostSpec;
import org.vireo.api.model.HypervisorKind;

class BareMetalTypeTest {
    private final BareMetalType type = new BareMetalType();

    @Test
    void dom0ReservesOneCoreAndOneAndAHalfGibOnAMidSizeHost() {
        TypeProfile p = type.profile(HostSpec.of("h2", 16, 2500, 32 * 1024, HypervisorKind.BAREMETAL));
        assertEquals("Dom0", p.privilegedDomain());
        assertEquals(2500, p.reservedCpuMhz());
        assertEquals(1024 + 32 * 16, p.reservedMemoryMiB());
        assertEquals(3.0, p.cpuOverheadPercent());
        assertTrue(p.ioPath().contains("netback"));
        assertTrue(p.description().contains("2500 MHz"), p.description());
    }

    @Test
    void largeHostGivesDom0OneCorePerSixteenAndAtMostTwoGib() {
        TypeProfile p = type.profile(HostSpec.of("big", 40, 2000, 512 * 1024, HypervisorKind.BAREMETAL));
        assertEquals(3 * 2000, p.reservedCpuMhz());
        assertEquals(2048, p.reservedMemoryMiB());
    }

    @Test
    void smallHostGivesDom0AtMostHalfTheCpuAndAQuarterOfTheMemory() {
        TypeProfile p = type.profile(HostSpec.of("tiny", 1, 2000, 2048, HypervisorKind.BAREMETAL));
        assertEquals(1000, p.reservedCpuMhz());
        assertEquals(512, p.reservedMemoryMiB());
        assertEquals(HypervisorKind.BAREMETAL, type.kind());
    }
}
