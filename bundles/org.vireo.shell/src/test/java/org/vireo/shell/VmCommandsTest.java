package org.vireo.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vireo.api.inventory.NotFoundException;
import org.vireo.api.model.CpuQos;
import org.vireo.api.model.InvalidSpecException;
import org.vireo.api.model.MemoryQos;
import org.vireo.api.model.VmSpec;
import org.vireo.api.model.WorkloadSpec;

class VmCommandsTest {
    private final FakeVms vms = new FakeVms();
    private final VmCommands commands = new VmCommands(vms);

    /** vm:create with every option at its default except those given. */
    private final class Create {
        String vcpus = "1";
        String mem = "512M";
        String host = "";
        String cpuLimit = "unlimited";
        String cpuReservation = "0";
        String cpuShares = "1000";
        String memReservation = "0";
        String memShares = "1000";
        String disk = "";
        String nic = "";
        String workload = "";
        String image = "";
        boolean json;

        String run(String... words) {
            return commands.create(vcpus, mem, host, cpuLimit, cpuReservation, cpuShares, memReservation, memShares, disk, nic,
                    workload, image, json, words);
        }
    }

    @Test
    void createWithDefaults() {
        assertEquals("vm1 DEFINED on h1", new Create().run("vm1"));
        VmSpec s = vms.lastSpec;
        assertEquals(VmSpec.of("vm1", 1, 512), s);
        assertEquals(CpuQos.DEFAULT, s.cpu());
        assertEquals(MemoryQos.DEFAULT, s.memory());
        assertEquals(WorkloadSpec.IDLE, s.workload());
        assertNull(vms.lastHost);
    }

    @Test
    void createAnswersJsonWithTheDetailFields() throws Exception {
        Create c = new Create();
        c.json = true;
        c.host = "h7";
        c.disk = "10G";
        JsonNode o = new ObjectMapper().readTree(c.run("vm1"));
        assertEquals("vm1", o.get("name").asText());
        assertEquals("DEFINED", o.get("state").asText());
        assertEquals("h7", o.get("host").asText());
        assertEquals(0, o.get("cpuWork").asDouble());
        assertEquals("disk0", o.get("disks").get(0).get("name").asText());
    }

    @Test
    void badInputIsRejectedWithFieldValueAndAllowedAndCreatesNothing() {
        assertCreateFails(c -> c.vcpus = "-2", "vcpus: -2 is not allowed; expected an integer from 1 to 256");
        assertCreateFails(c -> c.vcpus = "300", "vcpus: 300 is not allowed; expected an integer from 1 to 256");
        assertCreateFails(c -> c.vcpus = "two", "vcpus: 'two' is not allowed; expected an integer");
        assertCreateFails(c -> c.vcpus = "", "vcpus: null is not allowed; expected a value given with --vcpus N (the option is required)");
        assertCreateFails(c -> c.mem = "1X", "memoryMiB: '1X' is not allowed; expected a size such as 512M, 4G or 1T (a bare number means MiB)");
        assertCreateFails(c -> c.mem = "8M", "memoryMiB: 8 is not allowed; expected an integer from 16 to 4194304");
        assertCreateFails(c -> {
            c.cpuLimit = "2000";
            c.cpuReservation = "3GHz";
        }, "cpu.reservationMhz: 3000 is not allowed; expected at most the limit of 2000 MHz");
        assertCreateFails(c -> c.cpuLimit = "-1", "cpu.limitMhz: '-1' is not allowed; expected a frequency such as 2400, 2400MHz or 2.5GHz (a bare number means MHz)");
        assertCreateFails(c -> c.cpuShares = "0", "cpu.shares: 0 is not allowed; expected an integer from 1 to 1000000");
        assertCreateFails(c -> c.memShares = "-5", "memory.shares: -5 is not allowed; expected an integer from 1 to 1000000");
        assertCreateFails(c -> c.memReservation = "1G", "memory.reservationMiB: 1024 is not allowed; expected at most the VM's memory of 512 MiB");
        assertCreateFails(c -> c.disk = "10G;size=5G,colour=red", "disk: 'colour=red' is not allowed; expected SIZE or name=N,size=SIZE[,datastore=D][,format=raw|cow][,shared]");
        assertCreateFails(c -> c.disk = "10G;name=disk0,size=1G", "disks: 'disk0' is not allowed; expected unique disk names");
        assertCreateFails(c -> c.nic = "lan,mtu=9000", "nic: 'mtu=9000' is not allowed; expected NETWORK[,mac=MAC]");
        assertCreateFails(c -> c.workload = "turbo", "workload.profile: 'turbo' is not allowed; expected one of [batch, custom, db, desktop, idle, web]");
        assertCreateFails(c -> c.image = "my image", "image: 'my image' is not allowed; expected " + org.vireo.api.model.Check.NAME_RULE);
        InvalidSpecException noName = assertThrows(InvalidSpecException.class, () -> new Create().run());
        assertEquals("name", noName.field());
        InvalidSpecException badName = assertThrows(InvalidSpecException.class, () -> new Create().run("../etc"));
        assertEquals("vm.name", badName.field());
        assertTrue(vms.calls.isEmpty(), vms.calls.toString());
    }

    private void assertCreateFails(java.util.function.Consumer<Create> options, String message) {
        Create c = new Create();
        options.accept(c);
        InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> c.run("vm1"));
        assertEquals(message, e.getMessage());
    }

    @Test
    void lifecycleCommandsReturnTheResultingState() {
        new Create().run("vm1");
        assertEquals("vm1 RUNNING on h1", commands.start("vm1"));
        assertEquals("vm1 PAUSED on h1", commands.pause("vm1"));
        assertEquals("vm1 RUNNING on h1", commands.resume("vm1"));
        assertEquals("vm1 CRASHED on h1", commands.crash("vm1"));
        assertEquals("vm1 STOPPED on h1", commands.stop(false, "vm1"));
        assertEquals("vm1 STOPPED on h1", commands.stop(true, "vm1"));
        assertEquals(List.of("create vm1 null", "start vm1", "pause vm1", "resume vm1", "crash vm1", "stop vm1", "stop vm1 force"),
                vms.calls);
        assertThrows(NotFoundException.class, () -> commands.start("nope"));
    }

    @Test
    void listAndInfoInBothFormats() throws Exception {
        new Create().run("vm1");
        commands.start("vm1");
        new Create().run("vm2");
        String table = commands.list(false);
        assertEquals(3, table.split("\n").length);
        JsonNode list = new ObjectMapper().readTree(commands.list(true));
        assertEquals("RUNNING", list.get(0).get("state").asText());
        assertEquals("DEFINED", list.get(1).get("state").asText());
        JsonNode info = new ObjectMapper().readTree(commands.info(true, "vm1"));
        assertEquals(98765.4, info.get("cpuWork").asDouble());
        assertTrue(commands.info(false, "vm1").contains("\nLive:\n  state"));
    }

    @Test
    void destroyExportImportClone() {
        new Create().run("vm1");
        assertEquals("vm1 exported to /abs/out", commands.export("vm1", "out"));
        assertEquals("imported DEFINED on h1", commands._import("out"));
        assertEquals("copy DEFINED on h1", commands._import("out", "copy"));
        assertEquals("vm2 DEFINED on h1", commands.clone(false, "vm1", "vm2"));
        assertEquals("vm3 DEFINED on h1", commands.clone(true, "vm1", "vm3"));
        assertEquals("vm1 destroyed", commands.destroy("vm1"));
        assertEquals(List.of("create vm1 null", "export vm1 out", "import out null", "import out copy", "clone vm1 vm2",
                "clone vm1 vm3 linked", "destroy vm1"), vms.calls);
    }
}
