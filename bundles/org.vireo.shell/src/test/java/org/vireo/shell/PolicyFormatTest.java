package org.vireo.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vireo.api.inventory.PolicyFamily;
import org.vireo.api.inventory.PolicyInfo;

class PolicyFormatTest {
    private final FakePolicies policies = new FakePolicies();

    PolicyFormatTest() {
        policies.installed.add(new PolicyInfo(PolicyFamily.CPU, "reservation", 100, true, "org.vireo.cpu.reservation",
                "fallback: configured 'credit' is absent"));
        policies.installed.add(new PolicyInfo(PolicyFamily.CPU, "fair", 0, false, "org.vireo.cpu.fair", ""));
        policies.installed.add(new PolicyInfo(PolicyFamily.HYPERVISOR, "sim", 0, true, "org.vireo.hypervisor.sim", ""));
        policies.configured.put(PolicyFamily.CPU, "credit");
    }

    private List<PolicyFormat.FamilyState> families() {
        return PolicyFormat.families(policies.list(), policies::configured);
    }

    @Test
    void everyFamilyAppearsAndAConfiguredButAbsentNameIsListed() {
        List<PolicyFormat.FamilyState> f = families();
        assertEquals(PolicyFamily.values().length, f.size());
        PolicyFormat.FamilyState cpu = f.get(0);
        assertEquals(List.of("reservation", "fair", "credit"), cpu.entries().stream().map(PolicyFormat.Entry::name).toList());
        PolicyFormat.Entry credit = cpu.entries().get(2);
        assertFalse(credit.installed());
        assertFalse(credit.active());
        assertEquals("configured, not installed", credit.detail());
    }

    @Test
    void aConfiguredInstalledNameIsNotListedTwice() {
        policies.configured.put(PolicyFamily.CPU, "fair");
        assertEquals(2, families().get(0).entries().size());
    }

    @Test
    void tableMarksActiveConfiguredAndEmptyFamilies() {
        policies.configured.put(PolicyFamily.MIGRATION, "pre-copy");
        String t = PolicyFormat.table(families());
        String[] lines = t.split("\n");
        assertEquals("FAMILY           NAME         ACTIVE  RANKING  BUNDLE                     NOTE", lines[0]);
        assertEquals("cpu              reservation  yes         100  org.vireo.cpu.reservation  fallback: configured 'credit' is absent",
                lines[1]);
        assertEquals("cpu              fair         no            0  org.vireo.cpu.fair         -", lines[2]);
        assertEquals("cpu              credit       no            -  -                          configured, not installed", lines[3]);
        assertEquals("memory           -            -             -  -                          none installed", lines[4]);
        assertTrue(t.contains("\nmigration        pre-copy     no            -  -                          configured, not installed"), t);
        assertTrue(t.contains("\nhypervisor       sim          yes           0  org.vireo.hypervisor.sim   -"), t);
    }

    @Test
    void jsonGroupsImplementationsByFamily() throws Exception {
        JsonNode a = new ObjectMapper().readTree(PolicyFormat.json(families()));
        assertEquals(PolicyFamily.values().length, a.size());
        JsonNode cpu = a.get(0);
        assertEquals("cpu", cpu.get("family").asText());
        assertTrue(cpu.get("singleActive").asBoolean());
        assertEquals("credit", cpu.get("configured").asText());
        assertEquals("reservation", cpu.get("active").get(0).asText());
        JsonNode credit = cpu.get("implementations").get(2);
        assertEquals("credit", credit.get("name").asText());
        assertFalse(credit.get("installed").asBoolean());
        assertTrue(credit.get("ranking").isNull());
        assertTrue(credit.get("bundle").isNull());
        JsonNode memory = a.get(1);
        assertTrue(memory.get("configured").isNull());
        assertEquals(0, memory.get("implementations").size());
        JsonNode hypervisor = a.get(5);
        assertEquals("hypervisor", hypervisor.get("family").asText());
        assertFalse(hypervisor.get("singleActive").asBoolean());
        assertEquals(100, cpu.get("implementations").get(0).get("ranking").asInt());
    }

    @Test
    void useConfirmsInOneLine() {
        assertEquals("cpu: fair is active (org.vireo.cpu.fair)",
                PolicyFormat.line(new PolicyInfo(PolicyFamily.CPU, "fair", 0, true, "org.vireo.cpu.fair", "configured")));
    }
}
