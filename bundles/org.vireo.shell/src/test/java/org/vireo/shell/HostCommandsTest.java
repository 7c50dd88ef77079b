package org.vireo.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vireo.api.inventory.NotFoundException;
import org.vireo.api.model.HostSpec;
import org.vireo.api.model.HypervisorKind;
import org.vireo.api.model.InvalidSpecException;

class HostCommandsTest {
    private final FakeHosts hosts = new FakeHosts();
    private final HostCommands commands = new HostCommands(hosts);

    private String add(String cpus, String mhz, String mem, String type, String model, String name) {
        return commands.add(cpus, mhz, mem, type, model, "sim", "default", false, name);
    }

    @Test
    void addBuildsTheSpecFromTheOptions() {
        String out = commands.add("16", "2.5GHz", "64G", "Hybrid", "Haswell", "qemu", "east", false, "h1");
        assertEquals("h1: hybrid, 16 x 2500 MHz, 64G, hypervisor qemu, attached", out);
        HostSpec s = hosts.host("h1").spec();
        assertEquals(16, s.cores());
        assertEquals(2500, s.mhzPerCore());
        assertEquals(64 * 1024, s.memoryMiB());
        assertEquals(HypervisorKind.HYBRID, s.type());
        assertEquals("Haswell", s.cpuModel().name());
        assertEquals("qemu", s.hypervisor());
        assertEquals("east", s.cluster());
    }

    @Test
    void addWithDefaultsAndJson() throws Exception {
        JsonNode o = new ObjectMapper().readTree(commands.add("8", "2400", "16G", "baremetal", "", "sim", "default", true, "h1"));
        assertEquals("h1", o.get("name").asText());
        assertEquals("qemu64", o.get("cpuModel").asText());
        assertEquals("baremetal", o.get("type").asText());
        assertEquals("Dom0", o.get("profile").get("privilegedDomain").asText());
    }

    @Test
    void badInputIsRejectedWithFieldValueAndAllowedAndAddsNothing() {
        record Case(String cpus, String mhz, String mem, String type, String model, String name, String message) {
        }
        List<Case> cases = List.of(
                new Case("", "2400", "16G", "hybrid", "", "h1",
                        "host.cores: null is not allowed; expected a value given with --cpus N (the option is required)"),
                new Case("-4", "2400", "16G", "hybrid", "", "h1",
                        "host.cores: -4 is not allowed; expected an integer from 1 to 1024"),
                new Case("8", "fast", "16G", "hybrid", "", "h1",
                        "host.mhzPerCore: 'fast' is not allowed; expected a frequency such as 2400, 2400MHz or 2.5GHz (a bare number means MHz)"),
                new Case("8", "2400", "lots", "hybrid", "", "h1",
                        "host.memoryMiB: 'lots' is not allowed; expected a size such as 512M, 4G or 1T (a bare number means MiB)"),
                new Case("8", "2400", "16G", "type3", "", "h1",
                        "host.type: 'type3' is not allowed; expected one of hosted, baremetal, hybrid"),
                new Case("8", "2400", "16G", "hybrid", "Pentium", "h1",
                        "cpuModel: 'Pentium' is not allowed; expected one of [EPYC, Haswell, Nehalem, Skylake-Client, Westmere, qemu64]"),
                new Case("8", "2400", "16G", "hybrid", "", "bad name",
                        "host.name: 'bad name' is not allowed; expected " + org.vireo.api.model.Check.NAME_RULE));
        for (Case c : cases) {
            InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> add(c.cpus(), c.mhz(), c.mem(), c.type(), c.model(), c.name()));
            assertEquals(c.message(), e.getMessage());
        }
        assertTrue(hosts.calls.isEmpty());
        assertTrue(hosts.hosts().isEmpty());
    }

    @Test
    void listInfoAndRemove() throws Exception {
        add("8", "2400", "16G", "baremetal", "", "h1");
        add("4", "3000", "8G", "hosted", "", "h2");
        assertEquals(3, commands.list(false).split("\n").length);
        assertEquals(2, new ObjectMapper().readTree(commands.list(true)).size());
        assertTrue(commands.info(false, "h2").startsWith("h2  hosted host on hypervisor sim, attached"));
        assertEquals("h2", new ObjectMapper().readTree(commands.info(true, "h2")).get("name").asText());
        assertEquals("h2 removed", commands.remove("h2"));
        assertEquals(List.of("h1"), hosts.hosts().stream().map(h -> h.name()).toList());
        assertThrows(NotFoundException.class, () -> commands.info(false, "h2"));
    }
}
