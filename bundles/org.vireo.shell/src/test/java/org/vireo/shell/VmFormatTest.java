package org.vireo.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.vireo.api.model.CpuQos;
import org.vireo.api.model.DiskSpec;
import org.vireo.api.model.MemoryQos;
import org.vireo.api.model.NicSpec;
import org.vireo.api.model.VmSpec;
import org.vireo.api.model.WorkloadSpec;

class VmFormatTest {
    private static final Set<String> SUMMARY = Set.of("name", "state", "host", "vcpus", "memoryMiB", "cpuLimitMhz",
            "cpuReservationMhz", "cpuShares", "memReservationMiB", "memShares", "workload", "image", "disks");
    private static final Set<String> DETAIL_EXTRA = Set.of("directory", "nics", "qos", "live", "cpuDemandMhz",
            "cpuEntitledMhz", "cpuUsedMhz", "cpuReadyPercent", "cpuWork", "residentMiB", "sharedMiB", "balloonedMiB",
            "swappedMiB", "activeMiB", "residentByContentMiB", "io", "detail");

    private final VmSpec spec = new VmSpec("web1", 2, 2048, new CpuQos(3000L, 500, 2000), new MemoryQos(512, 1500),
            List.of(DiskSpec.parse("10G", "disk0"), DiskSpec.parse("name=data,size=1T,format=raw,shared", "disk1")),
            List.of(NicSpec.parse("lan,mac=52:54:00:12:34:56", "nic0")), WorkloadSpec.parse("web"), null);

    private static Set<String> fields(JsonNode n) {
        Set<String> s = new TreeSet<>();
        n.fieldNames().forEachRemaining(s::add);
        return s;
    }

    @Test
    void listEntryHasExactlyTheContractFields() throws Exception {
        JsonNode a = new ObjectMapper().readTree(VmFormat.listJson(List.of(Samples.running(spec, "h1"))));
        assertTrue(a.isArray());
        JsonNode o = a.get(0);
        assertEquals(new TreeSet<>(SUMMARY), fields(o));
        assertEquals("web1", o.get("name").asText());
        assertEquals("RUNNING", o.get("state").asText());
        assertEquals("h1", o.get("host").asText());
        assertEquals(2, o.get("vcpus").asInt());
        assertEquals(2048, o.get("memoryMiB").asLong());
        assertEquals(3000, o.get("cpuLimitMhz").asLong());
        assertEquals(500, o.get("cpuReservationMhz").asLong());
        assertEquals(2000, o.get("cpuShares").asInt());
        assertEquals(512, o.get("memReservationMiB").asLong());
        assertEquals(1500, o.get("memShares").asInt());
        assertEquals("web", o.get("workload").asText());
        assertEquals("debian-12", o.get("image").asText());
        JsonNode disk = o.get("disks").get(1);
        assertEquals(Set.of("name", "capacityMiB", "datastore", "format", "base", "shared"), fields(disk));
        assertEquals("data", disk.get("name").asText());
        assertEquals(1024 * 1024, disk.get("capacityMiB").asLong());
        assertEquals("raw", disk.get("format").asText());
        assertTrue(disk.get("base").isNull());
        assertTrue(disk.get("shared").asBoolean());
    }

    @Test
    void anUnlimitedVmHasANullLimit() {
        ObjectNode o = VmFormat.summary(Samples.defined(VmSpec.of("a", 1, 512), "h1"));
        assertTrue(o.get("cpuLimitMhz").isNull());
    }

    @Test
    void infoOfARunningVmCarriesTheLiveFigures() {
        ObjectNode o = VmFormat.detail(Samples.running(spec, "h1"));
        Set<String> expected = new TreeSet<>(SUMMARY);
        expected.addAll(DETAIL_EXTRA);
        assertEquals(expected, fields(o));
        assertTrue(o.get("live").asBoolean());
        assertEquals(1100.4, o.get("cpuUsedMhz").asDouble());
        assertEquals(1200, o.get("cpuEntitledMhz").asDouble());
        assertEquals(1500, o.get("cpuDemandMhz").asDouble());
        assertEquals(98765.4, o.get("cpuWork").asDouble());
        assertEquals(300, o.get("residentMiB").asLong());
        assertEquals(40, o.get("sharedMiB").asLong());
        assertEquals(64, o.get("balloonedMiB").asLong());
        assertEquals(16, o.get("swappedMiB").asLong());
        assertEquals(250, o.get("residentByContentMiB").get("image").asLong());
        assertEquals(3000, o.get("qos").get("cpu").get("limitMhz").asLong());
        assertEquals(512, o.get("qos").get("memory").get("reservationMiB").asLong());
        assertEquals("52:54:00:12:34:56", o.get("nics").get(0).get("mac").asText());
        assertEquals(2.0, o.get("io").get("diskWriteMiBps").asDouble());
        assertEquals("pid 4242", o.get("detail").asText());
        assertEquals("/data/vms/web1", o.get("directory").asText());
    }

    @Test
    void infoOfAVmHoldingNoResourcesShowsZeros() {
        ObjectNode o = VmFormat.detail(Samples.defined(spec, "h1"));
        assertFalse(o.get("live").asBoolean());
        assertEquals(0, o.get("cpuWork").asDouble());
        assertEquals(0, o.get("cpuUsedMhz").asDouble());
        assertEquals(0, o.get("residentMiB").asLong());
        assertEquals(0, o.get("residentByContentMiB").size());
    }

    @Test
    void tableShowsOneAlignedRowPerVm() {
        List<String> lines = new ArrayList<>(List.of(VmFormat.table(List.of(Samples.running(spec, "h1"),
                Samples.defined(VmSpec.of("db", 4, 8192), "h2"))).split("\n")));
        assertEquals(3, lines.size());
        assertTrue(lines.get(0).startsWith("NAME  STATE    HOST  VCPUS  MEMORY  CPU LIMIT  CPU RES  SHARES"), lines.get(0));
        assertTrue(lines.get(1).startsWith("web1  RUNNING  h1        2      2G   3000 MHz  500 MHz    2000  web"), lines.get(1));
        assertTrue(lines.get(1).endsWith("2 (1034G)      1100      300M"), lines.get(1));
        assertTrue(lines.get(2).startsWith("db    DEFINED  h2        4      8G  unlimited    0 MHz    1000  idle"), lines.get(2));
        assertTrue(lines.get(2).endsWith("0         -         -"), lines.get(2));
        assertEquals("no VMs", VmFormat.table(List.of()));
    }

    @Test
    void infoPageShowsDefinitionThenLiveFigures() {
        String page = VmFormat.info(Samples.running(spec, "h1"));
        assertTrue(page.startsWith("web1 RUNNING on h1\nDefinition:\n"), page);
        assertTrue(page.contains("\n  limit                3000 MHz\n"), page);
        assertTrue(page.contains("\n  data     1T  local      raw     -     yes"), page);
        assertTrue(page.contains("\n  CPU used             1100 MHz\n"), page);
        assertTrue(page.contains("\n  CPU work             98765 MHz*s\n"), page);
        assertTrue(page.contains("\n  resident by content  image 250M, random 40M, zero 10M\n"), page);
        assertTrue(page.indexOf("Definition:") < page.indexOf("Live:"));
        String stopped = VmFormat.info(Samples.defined(VmSpec.of("a", 1, 512), "h1"));
        assertTrue(stopped.endsWith("Live:\n  status       holds no resources (DEFINED)"), stopped);
        assertTrue(stopped.contains("Disks:\n  none\nNICs:\n  none\n"), stopped);
    }
}
