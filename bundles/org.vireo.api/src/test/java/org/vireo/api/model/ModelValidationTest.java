package org.vireo.api.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelValidationTest {

    @Test
    void negativeVcpusNameFieldValueAndRange() {
        InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> VmSpec.of("vm1", -2, 512));
        assertEquals("vcpus", e.field());
        assertEquals("-2", e.value());
        assertEquals("vcpus: -2 is not allowed; expected an integer from 1 to 256", e.getMessage());
    }

    @Test
    void reservationAboveLimitIsRejected() {
        InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> new CpuQos(1000L, 2000, 1000));
        assertEquals("cpu.reservationMhz", e.field());
        assertTrue(e.getMessage().contains("at most the limit of 1000 MHz"), e.getMessage());
    }

    @Test
    void memoryReservationAboveConfiguredMemoryIsRejected() {
        InvalidSpecException e = assertThrows(InvalidSpecException.class,
                () -> VmSpec.of("vm1", 1, 512).withMemory(new MemoryQos(1024, 1000)));
        assertEquals("memory.reservationMiB", e.field());
    }

    @Test
    void namesThatAreNotSafeDirectoryNamesAreRejected() {
        for (String bad : new String[] {"", "..", "a/b", "-x", "with space", "x".repeat(64)}) {
            InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> VmSpec.of(bad, 1, 512), bad);
            assertEquals("vm.name", e.field());
        }
        assertEquals("web-01.prod_a", VmSpec.of("web-01.prod_a", 1, 512).name());
    }

    @Test
    void sizesAndFrequenciesParseAsPeopleTypeThem() {
        assertEquals(512, Units.parseMiB("mem", "512M"));
        assertEquals(4096, Units.parseMiB("mem", "4G"));
        assertEquals(4096, Units.parseMiB("mem", "4GiB"));
        assertEquals(1536, Units.parseMiB("mem", "1.5g"));
        assertEquals(300, Units.parseMiB("mem", "300"));
        assertEquals(2500, Units.parseMhz("mhz", "2.5GHz"));
        assertEquals(2400, Units.parseMhz("mhz", "2400"));
        assertEquals(2400, Units.parseMhz("mhz", "2400MHz"));
        InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> Units.parseMiB("mem", "12X"));
        assertEquals("mem", e.field());
        assertTrue(e.getMessage().contains("512M"), e.getMessage());
        assertThrows(InvalidSpecException.class, () -> Units.parseMhz("mhz", "fast"));
        assertThrows(InvalidSpecException.class, () -> Units.parseMiB("mem", "-1G"));
        assertEquals("4G", Units.formatMiB(4096));
        assertEquals("1.5G", Units.formatMiB(1536));
        assertEquals("512M", Units.formatMiB(512));
    }

    @Test
    void diskSpecParsesShortAndLongForms() {
        DiskSpec shortForm = DiskSpec.parse("10G", "disk0");
        assertEquals(new DiskSpec("disk0", 10240, "local", DiskFormat.COW, null, false), shortForm);
        DiskSpec longForm = DiskSpec.parse("name=data,size=2G,datastore=san,format=raw,shared", "disk1");
        assertEquals(new DiskSpec("data", 2048, "san", DiskFormat.RAW, null, true), longForm);
        assertEquals("data.img", longForm.fileName());
        assertThrows(InvalidSpecException.class, () -> DiskSpec.parse("name=x", "d"));
        assertThrows(InvalidSpecException.class, () -> DiskSpec.parse("size=1G,colour=red", "d"));
        InvalidSpecException e = assertThrows(InvalidSpecException.class,
                () -> new DiskSpec("d", 10, "local", DiskFormat.RAW, "/base.img", false));
        assertTrue(e.getMessage().contains("linked clone"), e.getMessage());
    }

    @Test
    void duplicateDiskNamesAreRejected() {
        DiskSpec d = DiskSpec.parse("1G", "disk0");
        InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> VmSpec.of("vm", 1, 512).withDisks(List.of(d, d)));
        assertEquals("disks", e.field());
    }

    @Test
    void workloadParsesProfilesAndParameters() {
        WorkloadSpec w = WorkloadSpec.parse("custom:cpu=50,peak=90,ws=512M,dirty=20,image=0.3");
        assertEquals("custom", w.profile());
        assertEquals(512.0, w.parameter("ws", 0));
        assertEquals(Map.of("cpu", 50.0, "peak", 90.0, "ws", 512.0, "dirty", 20.0, "image", 0.3), w.parameters());
        assertEquals(w, WorkloadSpec.parse(w.toText()));
        assertEquals("web", WorkloadSpec.parse("web").toText());
        assertThrows(InvalidSpecException.class, () -> WorkloadSpec.parse("gaming"));
        assertThrows(InvalidSpecException.class, () -> WorkloadSpec.parse("web:cpu=150"));
        assertThrows(InvalidSpecException.class, () -> WorkloadSpec.parse("web:cpu=60,peak=40"));
        assertThrows(InvalidSpecException.class, () -> WorkloadSpec.parse("web:zero=0.7,random=0.6"));
        assertThrows(InvalidSpecException.class, () -> WorkloadSpec.parse("custom"));
    }

    @Test
    void hostSpecValidatesSizesAndDatastores() {
        HostSpec h = HostSpec.of("h1", 4, 2500, 16384, HypervisorKind.BAREMETAL);
        assertEquals(10000, h.capacityMhz());
        assertTrue(h.hasDatastore("local"));
        assertEquals("sim", h.hypervisor());
        InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> HostSpec.of("h1", 0, 2500, 16384, HypervisorKind.HOSTED));
        assertEquals("host.cores", e.field());
        assertThrows(InvalidSpecException.class, () -> new HostSpec("h1", "default", 4, 2500, 16384, HypervisorKind.HOSTED,
                "sim", CpuModel.DEFAULT, List.of(), 1000));
        assertThrows(InvalidSpecException.class, () -> new HostSpec("h1", "default", 4, 2500, 16384, HypervisorKind.HOSTED,
                "sim", CpuModel.DEFAULT, List.of(DatastoreSpec.LOCAL, DatastoreSpec.LOCAL), 1000));
    }

    @Test
    void hypervisorKindAndCpuModelParse() {
        assertEquals(HypervisorKind.BAREMETAL, HypervisorKind.parse("type", "BareMetal"));
        InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> HypervisorKind.parse("type", "type3"));
        assertTrue(e.getMessage().contains("hosted, baremetal, hybrid"), e.getMessage());
        assertTrue(CpuModel.known("Haswell").canRun(CpuModel.known("qemu64")));
        assertFalse(CpuModel.known("qemu64").canRun(CpuModel.known("Haswell")));
        assertThrows(InvalidSpecException.class, () -> CpuModel.known("Pentium"));
    }
}
