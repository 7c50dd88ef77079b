package org.vireo.cpu.reservation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vireo.api.cpu.CpuDemand;
import org.vireo.api.cpu.CpuEntitlement;
import org.vireo.api.cpu.CpuSnapshot;
import org.vireo.api.model.CpuQos;
import org.vireo.api.model.VmSpec;

class ReservationSharesPolicyTest {
    private final ReservationSharesPolicy policy = new ReservationSharesPolicy();

    @Test
    void theComponentDecidesAsTheAlgorithm() {
        CpuSnapshot h = new CpuSnapshot("h1", 3000, 3000, List.of(
                new CpuDemand("vm1", 1, new CpuQos(null, 2000, 1000), 3000),
                new CpuDemand("vm2", 1, CpuQos.DEFAULT, 3000)));
        assertEquals(List.of(new CpuEntitlement("vm1", 2000, Double.POSITIVE_INFINITY, 1000),
                new CpuEntitlement("vm2", 1000, Double.POSITIVE_INFINITY, 1000)), policy.allocate(h).entitlements());
        VmSpec vm3 = VmSpec.of("vm3", 1, 512).withCpu(new CpuQos(null, 2000, 1000));
        assertFalse(policy.admit(h, vm3).admitted());
        assertTrue(policy.admit(h, vm3.withCpu(CpuQos.DEFAULT)).admitted());
    }

    @Test
    void itIsRegisteredAsTheCpuPolicyNamedReservation() throws Exception {
        String xml = Files.readString(Path.of("target/classes/OSGI-INF/" + ReservationSharesPolicy.class.getName() + ".xml"));
        assertTrue(xml.contains("interface=\"org.vireo.api.cpu.CpuQosPolicy\""), xml);
        assertTrue(xml.contains("name=\"vireo.name\"") && xml.contains("value=\"reservation\""), xml);
        assertTrue(xml.contains("name=\"service.ranking\"") && xml.contains("value=\"300\""), xml);
    }
}
