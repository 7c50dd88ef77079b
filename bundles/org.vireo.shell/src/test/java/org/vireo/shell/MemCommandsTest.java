package org.vireo.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vireo.api.inventory.MemoryReport;
import org.vireo.api.inventory.VmMemoryQos;
import org.vireo.api.memory.MemoryState;
import org.vireo.api.model.InvalidSpecException;
import org.vireo.api.model.MemoryQos;
import org.vireo.api.model.VmSpec;

class MemCommandsTest {
    private final FakeQos qos = new FakeQos();
    private final FakeVms vms = new FakeVms();
    private final MemCommands commands = new MemCommands(qos, vms);

    MemCommandsTest() {
        qos.memory.put("h1", new MemoryReport("h1", "idle-tax", MemoryState.SOFT, 16384, 1187, 900, 300, 22794, List.of(
                new VmMemoryQos("vm1", 8192, 1024, 2000, 6000, 300, 1500, 692, 2048),
                new VmMemoryQos("vm2", 4096, 0, 1000, 4096, 0, 0, 0, 512))));
        qos.memory.put("empty", new MemoryReport("empty", "", MemoryState.HIGH, 4096, 600, 3496, 0, 5244, List.of()));
    }

    @Test
    void showGivesTheStateThenOneRowPerVm() {
        assertEquals("""
                host h1: memory state SOFT (reclaim policy idle-tax)
                  total 16G, hypervisor 1.2G, free 900M, saved by sharing 300M
                  configured 12G of 22.3G allowed by overcommit
                VM   CONFIGURED  RESERVED  SHARES  RESIDENT  SHARED  BALLOONED  SWAPPED  ACTIVE
                vm1          8G        1G    2000      5.9G    300M       1.5G     692M      2G
                vm2          4G        0M    1000        4G      0M         0M       0M    512M""", commands.show(false, "h1"));
        assertEquals("""
                host empty: memory state HIGH (reclaim policy none)
                  total 4G, hypervisor 600M, free 3.4G, saved by sharing 0M
                  configured 0M of 5.1G allowed by overcommit
                no VMs hold memory on this host""", commands.show(false, "empty"));
    }

    @Test
    void showJsonHasTheDocumentedFields() throws Exception {
        JsonNode o = new ObjectMapper().readTree(commands.show(true, "h1"));
        assertEquals(List.of("host", "policy", "state", "totalMiB", "hypervisorMiB", "freeMiB", "sharedSavedMiB",
                "overcommitLimitMiB", "configuredMiB", "vms"), QosCommandsTest.fields(o));
        assertEquals("SOFT", o.get("state").asText());
        assertEquals(900, o.get("freeMiB").asLong());
        assertEquals(12288, o.get("configuredMiB").asLong());
        JsonNode vm1 = o.get("vms").get(0);
        assertEquals(List.of("vm", "configuredMiB", "reservedMiB", "shares", "residentMiB", "sharedMiB", "balloonedMiB",
                "swappedMiB", "activeMiB"), QosCommandsTest.fields(vm1));
        assertEquals(1500, vm1.get("balloonedMiB").asLong());
        assertEquals(692, vm1.get("swappedMiB").asLong());
    }

    @Test
    void setChangesOnlyWhatIsGiven() {
        vms.create(VmSpec.of("vm1", 2, 4096).withMemory(new MemoryQos(512, 1000)), "h1");
        assertEquals("vm1: memory reservation 1G of 4G, shares 1000 (DEFINED on h1)", commands.set("1G", "", "vm1"));
        assertEquals(new MemoryQos(1024, 1000), vms.vm("vm1").spec().memory());
        commands.set("", "3000", "vm1");
        assertEquals(new MemoryQos(1024, 3000), vms.vm("vm1").spec().memory());
    }

    @Test
    void setRefusesBadOrMissingValuesBeforeCallingTheService() {
        vms.create(VmSpec.of("vm1", 2, 4096), "h1");
        vms.calls.clear();
        InvalidSpecException none = assertThrows(InvalidSpecException.class, () -> commands.set("", "", "vm1"));
        assertEquals("memory: null is not allowed; expected at least one of --reservation and --shares"
                + " (mem:set VM [--reservation SIZE] [--shares N])", none.getMessage());
        assertEquals("memory.reservationMiB", assertThrows(InvalidSpecException.class, () -> commands.set("lots", "", "vm1")).field());
        assertEquals("memory.shares", assertThrows(InvalidSpecException.class, () -> commands.set("", "-5", "vm1")).field());
        assertEquals(List.of(), vms.calls);
    }
}
