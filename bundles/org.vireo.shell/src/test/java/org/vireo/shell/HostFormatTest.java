package org.vireo.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.vireo.api.inventory.HostView;
import org.vireo.api.model.VmSpec;

class HostFormatTest {
    private static final Set<String> SUMMARY = Set.of("name", "type", "hypervisor", "cluster", "cpuModel", "cores",
            "mhzPerCore", "capacityMhz", "memoryMiB", "attached", "vms", "usedMhz", "freeMiB", "problem");

    private final HostView busy = Samples.attached(Samples.host("h1"),
            List.of(Samples.running(VmSpec.of("vm1", 2, 1024), "h1"), Samples.defined(VmSpec.of("vm2", 1, 512), "h1")));
    private final HostView lost = Samples.detached(Samples.host("h2").withHypervisor("qemu"));

    private static Set<String> fields(JsonNode n) {
        Set<String> s = new TreeSet<>();
        n.fieldNames().forEachRemaining(s::add);
        return s;
    }

    @Test
    void listEntryHasExactlyTheContractFields() throws Exception {
        JsonNode a = new ObjectMapper().readTree(HostFormat.listJson(List.of(busy, lost)));
        JsonNode h1 = a.get(0);
        assertEquals(new TreeSet<>(SUMMARY), fields(h1));
        assertEquals("h1", h1.get("name").asText());
        assertEquals("baremetal", h1.get("type").asText());
        assertEquals("sim", h1.get("hypervisor").asText());
        assertEquals("default", h1.get("cluster").asText());
        assertEquals("qemu64", h1.get("cpuModel").asText());
        assertEquals(8, h1.get("cores").asInt());
        assertEquals(2400, h1.get("mhzPerCore").asLong());
        assertEquals(19200, h1.get("capacityMhz").asLong());
        assertEquals(16384, h1.get("memoryMiB").asLong());
        assertTrue(h1.get("attached").asBoolean());
        assertEquals("vm1", h1.get("vms").get(0).asText());
        assertEquals(2, h1.get("vms").size());
        assertEquals(2200.6, h1.get("usedMhz").asDouble());
        assertEquals(8192, h1.get("freeMiB").asLong());
        JsonNode h2 = a.get(1);
        assertFalse(h2.get("attached").asBoolean());
        assertTrue(h2.get("usedMhz").isNull());
        assertTrue(h2.get("freeMiB").isNull());
        assertEquals("hypervisor 'qemu' is not installed", h2.get("problem").asText());
    }

    @Test
    void infoCarriesTheTypeProfileAndTheLiveVms() {
        ObjectNode o = HostFormat.detail(busy);
        assertTrue(fields(o).containsAll(SUMMARY));
        JsonNode p = o.get("profile");
        assertEquals(Set.of("kind", "description", "cpuOverheadPercent", "reservedCpuMhz", "reservedMemoryMiB",
                "privilegedDomain", "ioPath", "perVmMemoryOverheadMiB", "hardwareAssisted"), fields(p));
        assertEquals("Dom0", p.get("privilegedDomain").asText());
        assertEquals(3.5, p.get("cpuOverheadPercent").asDouble());
        JsonNode live = o.get("live");
        assertEquals(19200, live.get("capacityMhz").asLong());
        assertEquals(32, live.get("sharedSavedMiB").asLong());
        assertEquals("sim clock", live.get("detail").asText());
        JsonNode vm = live.get("vms").get(0);
        assertEquals(1, live.get("vms").size());
        assertEquals("vm1", vm.get("name").asText());
        assertEquals(1100.4, vm.get("cpuUsedMhz").asDouble());
        assertEquals(1200, vm.get("cpuEntitledMhz").asDouble());
        assertEquals(300, vm.get("residentMiB").asLong());
        assertEquals(10, vm.get("residentByContentMiB").get("zero").asLong());
        assertEquals("local", o.get("datastores").get(0).get("name").asText());
        ObjectNode d = HostFormat.detail(lost);
        assertTrue(d.get("profile").isNull());
        assertTrue(d.get("live").isNull());
    }

    @Test
    void tableShowsLoadOrWhyAHostIsDetached() {
        String[] lines = HostFormat.table(List.of(busy, lost)).split("\n");
        assertEquals(3, lines.length);
        assertEquals("NAME  TYPE       HYPERVISOR  CLUSTER  CORES  MHZ/CORE  MEMORY  USED MHZ  FREE  VMS  STATUS", lines[0]);
        assertEquals("h1    baremetal  sim         default      8      2400     16G      2201    8G    2  attached", lines[1]);
        assertEquals("h2    baremetal  qemu        default      8      2400     16G         -     -    0  detached: hypervisor 'qemu' is not installed",
                lines[2]);
        assertEquals("no hosts", HostFormat.table(List.of()));
    }

    @Test
    void infoPageShowsOverheadsLoadAndVmsByContentClass() {
        String page = HostFormat.info(busy);
        assertTrue(page.startsWith("h1  baremetal host on hypervisor sim, attached\n"), page);
        assertTrue(page.contains("\n  description        type 1, Xen-style: Dom0 owns physical I/O\n"), page);
        assertTrue(page.contains("\n  CPU overhead       3.5 %\n"), page);
        assertTrue(page.contains("\n  reserved CPU       1200 MHz\n"), page);
        assertTrue(page.contains("\n  reserved memory    1G\n"), page);
        assertTrue(page.contains("\n  privileged domain  Dom0\n"), page);
        assertTrue(page.contains("\n  per-VM memory      24M\n"), page);
        assertTrue(page.contains("\n  hardware assisted  yes\n"), page);
        assertTrue(page.contains("\n  CPU used           2201 / 19200 MHz (11.5 %)\n"), page);
        assertTrue(page.contains("\n  memory free        8G of 16G\n"), page);
        assertTrue(page.contains("\n  detail             sim clock\n"), page);
        assertTrue(page.contains("\n  NAME  STATE     VCPUS  USED MHZ  ENTITLED MHZ  RESIDENT  ZERO  IMAGE  COMPRESSIBLE  RANDOM\n"
                + "  vm1   RUNNING       2      1100          1200      300M   10M   250M             -     40M\n"
                + "  vm2   inactive      -         -             -         -     -      -             -       -"), page);
        String detached = HostFormat.info(lost);
        assertTrue(detached.contains("unknown: the baremetal type bundle is absent"), detached);
        assertTrue(detached.contains("\n  status     detached\n"), detached);
        assertTrue(detached.contains("\n  problem    hypervisor 'qemu' is not installed\n"), detached);
        assertTrue(detached.endsWith("VMs:\n  none"), detached);
    }

    @Test
    void oneLineConfirmation() {
        assertEquals("h1: baremetal, 8 x 2400 MHz, 16G, hypervisor sim, attached", HostFormat.line(busy));
    }
}
