package org.vireo.cpu.credit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vireo.api.cpu.CpuDemand;
import org.vireo.api.cpu.CpuSnapshot;
import org.vireo.api.model.CpuQos;
import org.vireo.api.model.InvalidSpecException;
import org.vireo.api.model.VmSpec;
import org.vireo.testing.Configs;

class CreditPolicyTest {
    private static final CpuSnapshot HOST = new CpuSnapshot("h1", 3000, 3000,
            List.of(new CpuDemand("vm1", 1, new CpuQos(null, 3000, 1000), 3000)));

    @Test
    void theConfiguredDefaultWeightSetsTheWeights() {
        CreditPolicy standard = new CreditPolicy(Configs.of(CreditPolicy.Config.class, Map.of()));
        assertEquals(256, standard.allocate(HOST).entitlements().get(0).weight());
        CreditPolicy heavier = new CreditPolicy(Configs.of(CreditPolicy.Config.class, Map.of("defaultWeight", 512)));
        assertEquals(512, heavier.allocate(HOST).entitlements().get(0).weight());
    }

    @Test
    void aBadConfigurationIsRefusedNamingTheProperty() {
        assertEquals("defaultWeight", assertThrows(InvalidSpecException.class,
                () -> new CreditPolicy(Configs.of(CreditPolicy.Config.class, Map.of("defaultWeight", -1)))).field());
    }

    @Test
    void everyVmIsAdmittedWhateverItReserves() {
        CreditPolicy policy = new CreditPolicy(Configs.of(CreditPolicy.Config.class, Map.of()));
        assertTrue(policy.admit(HOST, VmSpec.of("vm2", 1, 512).withCpu(new CpuQos(null, 3000, 1000))).admitted());
    }

    @Test
    void itIsRegisteredAsTheCpuPolicyNamedCreditWithItsConfiguration() throws Exception {
        String xml = Files.readString(Path.of("target/classes/OSGI-INF/" + CreditPolicy.class.getName() + ".xml"));
        assertTrue(xml.contains("interface=\"org.vireo.api.cpu.CpuQosPolicy\""), xml);
        assertTrue(xml.contains("name=\"vireo.name\"") && xml.contains("value=\"credit\""), xml);
        assertTrue(xml.contains("configuration-pid=\"org.vireo.cpu.credit\""), xml);
        assertTrue(xml.contains("value=\"200\""), xml);
        assertTrue(Files.exists(Path.of("target/classes/OSGI-INF/metatype/" + CreditPolicy.Config.class.getName() + ".xml")));
    }
}
