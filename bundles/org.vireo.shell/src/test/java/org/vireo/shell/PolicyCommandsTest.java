package org.vireo.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vireo.api.inventory.ConflictException;
import org.vireo.api.inventory.NotFoundException;
import org.vireo.api.inventory.PolicyFamily;
import org.vireo.api.inventory.PolicyInfo;
import org.vireo.api.model.InvalidSpecException;

class PolicyCommandsTest {
    private final FakePolicies policies = new FakePolicies();
    private final PolicyCommands commands = new PolicyCommands(policies);

    PolicyCommandsTest() {
        policies.installed.add(new PolicyInfo(PolicyFamily.CPU, "reservation", 0, true, "org.vireo.cpu.reservation", ""));
        policies.installed.add(new PolicyInfo(PolicyFamily.CPU, "credit", 0, false, "org.vireo.cpu.credit", ""));
        policies.installed.add(new PolicyInfo(PolicyFamily.IO, "blk", 0, true, "org.vireo.io.blk", ""));
    }

    @Test
    void useSwapsAndTheListShowsIt() throws Exception {
        assertEquals("cpu: credit is active (org.vireo.cpu.credit)", commands.use("CPU", "credit"));
        assertEquals(List.of("use cpu credit"), policies.calls);
        JsonNode cpu = new ObjectMapper().readTree(commands.list(true)).get(0);
        assertEquals("credit", cpu.get("configured").asText());
        assertEquals("credit", cpu.get("active").get(0).asText());
        assertEquals(1, cpu.get("active").size());
        assertTrue(commands.list(false).contains("\ncpu              credit       yes           0  org.vireo.cpu.credit       configured"),
                commands.list(false));
    }

    @Test
    void errorsComeFromTheFamilyParserOrTheService() {
        InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> commands.use("gpu", "x"));
        assertEquals("family: 'gpu' is not allowed; expected one of cpu, memory, memory-strategy, io, migration, hypervisor, hypervisor-type",
                e.getMessage());
        assertTrue(policies.calls.isEmpty());
        assertThrows(NotFoundException.class, () -> commands.use("cpu", "fair"));
        assertThrows(ConflictException.class, () -> commands.use("io", "blk"));
    }
}
