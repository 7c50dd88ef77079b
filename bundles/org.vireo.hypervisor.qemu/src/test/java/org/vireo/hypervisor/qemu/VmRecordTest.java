package org.vireo.hypervisor.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vireo.api.hypervisor.HypervisorException;
import org.vireo.api.model.CpuQos;
import org.vireo.api.model.DiskFormat;
import org.vireo.api.model.DiskSpec;
import org.vireo.api.model.MemoryQos;
import org.vireo.api.model.NicSpec;
import org.vireo.api.model.VmSpec;
import org.vireo.api.model.WorkloadSpec;

class VmRecordTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsTheFullDefinitionAndIsReadableByItsOwnerOnly() throws Exception {
        VmSpec spec = new VmSpec("db1", 2, 1024, new CpuQos(2000L, 500, 2000), new MemoryQos(256, 500),
                List.of(new DiskSpec("root", 1024, "local", DiskFormat.COW, "/base/debian.qcow2", false)),
                List.of(new NicSpec("nic0", "prod", "52:54:00:00:00:01")), WorkloadSpec.parse("custom:cpu=50,dirty=20"), "debian-12");
        VmRecord record = new VmRecord(VmRecord.FORMAT, "h1", "db1", 4242, 987654, "/d/qmp.sock", "tcg", 1700000000000L, spec);
        Path file = dir.resolve("qemu.json");

        record.write(file);

        assertEquals(record, VmRecord.read(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void anUnknownFormatIsRefusedNamingTheFile() throws Exception {
        Path file = dir.resolve("qemu.json");
        Files.writeString(file, "{\"format\": 2, \"pid\": 1}");

        HypervisorException e = assertThrows(HypervisorException.class, () -> VmRecord.read(file));

        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("format 2"), e.getMessage());
    }

    @Test
    void theIndexRemembersVmDirectoriesPerHost() throws Exception {
        StateIndex index = new StateIndex(dir.resolve("index"));

        index.put("h1", "web1", Path.of("/data/vms/web1"));
        index.put("h1", "db1", Path.of("/data/vms/db1"));
        index.put("h2", "x", Path.of("/data/vms/x"));
        index.remove("h1", "web1");

        assertEquals(java.util.Map.of("db1", Path.of("/data/vms/db1")), index.entries("h1"));
        assertEquals(java.util.Map.of(), index.entries("h3"));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("index/h1"))));
    }

    @Test
    void eventsAreNumberedPerHostAndTheOldestAreDropped() {
        long[] now = {5};
        EventLog log = new EventLog("h1", () -> now[0]);
        for (int i = 0; i < EventLog.CAPACITY + 10; i++) {
            log.post("vm", null, "e" + i);
        }

        assertEquals(EventLog.CAPACITY, log.since(0).size());
        assertEquals(11, log.since(0).get(0).sequence());
        assertEquals(List.of(EventLog.CAPACITY + 10L), log.since(EventLog.CAPACITY + 9).stream().map(e -> e.sequence()).toList());
        assertEquals("h1", log.since(0).get(0).host());
        assertEquals(5, log.since(0).get(0).clockMillis());
    }
}
