package org.vireo.cpu.fair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vireo.api.cpu.CpuDemand;
import org.vireo.api.cpu.CpuSnapshot;
import org.vireo.api.model.CpuQos;
import org.vireo.api.model.VmSpec;

class FairSharePolicyTest {
    private final FairSharePolicy policy = new FairSharePolicy();

    @Test
    void theComponentDecidesAsTheAlgorithmAndAdmitsEveryVm() {
        CpuSnapshot h = new CpuSnapshot("h1", 3000, 3000, List.of(new CpuDemand("a", 1, new CpuQos(null, 3000, 1000), 3000),
                new CpuDemand("b", 2, CpuQos.DEFAULT, 6000)));
        assertEquals(FairShare.allocate(h), policy.allocate(h));
        assertEquals(2000, policy.allocate(h).entitlements().get(1).entitledMhz(), 1e-6);
        assertTrue(policy.admit(h, VmSpec.of("c", 1, 512).withCpu(new CpuQos(null, 3000, 1000))).admitted());
    }

    @Test
    void itIsRegisteredAsTheCpuPolicyNamedFair() throws Exception {
        String xml = Files.readString(Path.of("target/classes/OSGI-INF/" + FairSharePolicy.class.getName() + ".xml"));
        assertTrue(xml.contains("interface=\"org.vireo.api.cpu.CpuQosPolicy\""), xml);
        assertTrue(xml.contains("name=\"vireo.name\"") && xml.contains("value=\"fair\""), xml);
        assertTrue(xml.contains("value=\"100\""), xml);
    }
}
