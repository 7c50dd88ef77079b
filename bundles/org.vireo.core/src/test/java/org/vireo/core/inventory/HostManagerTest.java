package org.vireo.core.inventory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vireo.api.hypervisor.HypervisorException;
import org.vireo.api.inventory.ConflictException;
import org.vireo.api.inventory.EventCategory;
import org.vireo.api.inventory.HostView;
import org.vireo.api.inventory.NotFoundException;
import org.vireo.api.inventory.VireoEvent;
import org.vireo.api.model.HostSpec;
import org.vireo.api.model.HypervisorKind;
import org.vireo.api.model.InvalidSpecException;
import org.vireo.api.model.VmSpec;
import org.vireo.api.model.VmState;

class HostManagerTest {
    @TempDir
    Path dir;

    @Test
    void coreStartsWithoutAnyHypervisorAndSaysWhatIsMissing() throws Exception {
        Fixture f = new Fixture(dir);
        Files.createDirectories(f.data.resolve("hosts/h1"));
        Files.writeString(f.data.resolve("hosts/h1/host.json"), new String(
                org.vireo.core.store.Json.write(new org.vireo.core.store.HostDocument("1.0", Fixture.host("h1", 8192), "t")),
                StandardCharsets.UTF_8));
        f.restart();
        HostView h1 = f.hosts.host("h1");
        assertFalse(h1.attached());
        assertNull(h1.profile());
        assertEquals("hypervisor 'sim' is not installed; hypervisor type 'hybrid' is not installed", h1.problem());
        f.bindType(f.hybrid, "hybrid");
        assertEquals("hypervisor 'sim' is not installed", f.hosts.host("h1").problem());
        assertNotNull(f.hosts.host("h1").profile());
        f.bindHypervisor(f.sim, "sim");
        assertTrue(f.hosts.host("h1").attached());
        assertEquals("", f.hosts.host("h1").problem());
        assertEquals(List.of("attach h1"), f.sim.calls);
    }

    @Test
    void addHostAttachesPersistsAndReportsLiveFigures() throws Exception {
        Fixture f = new Fixture(dir).installed();
        HostView view = f.hosts.addHost(Fixture.host("h1", 8192));
        assertTrue(view.attached());
        assertEquals(512, view.profile().reservedMemoryMiB());
        assertEquals("fake", view.live().detail());
        assertEquals(List.of("attach h1"), f.sim.calls);
        String json = Files.readString(f.data.resolve("hosts/h1/host.json"));
        assertTrue(json.contains("\"format\" : \"1.0\"") && json.contains("\"cluster\" : \"c1\""), json);
        assertEquals(List.of("h1"), f.hosts.hosts().stream().map(HostView::name).toList());
        List<String> types = f.events.since(0).stream().filter(e -> e.category() == EventCategory.HOST).map(VireoEvent::type).toList();
        assertEquals(List.of("attached", "added"), types);
    }

    @Test
    void addHostRefusalsAreSpecificAndWriteNothing() {
        Fixture f = new Fixture(dir);
        Map<String, String> empty = f.tree();
        NotFoundException noType = assertThrows(NotFoundException.class, () -> f.hosts.addHost(Fixture.host("h1", 8192)));
        assertEquals("cannot add host 'h1': hypervisor type 'hybrid' is not installed; installed types: none", noType.getMessage());
        f.bindType(new FakeType(HypervisorKind.HOSTED, 0, 0, 0), "hosted");
        f.bindType(f.hybrid, "hybrid");
        NotFoundException noHypervisor = assertThrows(NotFoundException.class,
                () -> f.hosts.addHost(Fixture.host("h1", 8192).withHypervisor("qemu")));
        assertEquals("cannot add host 'h1': hypervisor 'qemu' is not installed; installed hypervisors: none", noHypervisor.getMessage());
        f.bindHypervisor(f.sim, "sim");
        NotFoundException other = assertThrows(NotFoundException.class,
                () -> f.hosts.addHost(Fixture.host("h1", 8192).withHypervisor("qemu")));
        assertTrue(other.getMessage().endsWith("installed hypervisors: sim"), other.getMessage());
        assertThrows(InvalidSpecException.class, () -> f.hosts.addHost(null));
        f.sim.failNext = new HypervisorException("host 'h1': no KVM");
        HypervisorException refused = assertThrows(HypervisorException.class, () -> f.hosts.addHost(Fixture.host("h1", 8192)));
        assertEquals("host 'h1': no KVM", refused.getMessage());
        assertEquals(empty, f.tree());
        assertEquals(List.of(), f.hosts.hosts());

        f.hosts.addHost(Fixture.host("h1", 8192));
        Map<String, String> one = f.tree();
        ConflictException duplicate = assertThrows(ConflictException.class, () -> f.hosts.addHost(Fixture.host("h1", 4096)));
        assertEquals("a host named 'h1' exists already", duplicate.getMessage());
        assertEquals(one, f.tree());
    }

    @Test
    void removeHostRefusesWhileVmsArePlacedThenReleasesAndDeletes() {
        Fixture f = new Fixture(dir).installed();
        f.hosts.addHost(Fixture.host("h1", 8192));
        f.vms.create(VmSpec.of("vm1", 1, 512), "h1");
        Map<String, String> before = f.tree();
        ConflictException placed = assertThrows(ConflictException.class, () -> f.hosts.removeHost("h1"));
        assertEquals("cannot remove host 'h1': VMs are placed on it: vm1 (destroy them first)", placed.getMessage());
        assertEquals(before, f.tree());
        f.vms.destroy("vm1");
        f.hosts.removeHost("h1");
        assertFalse(Files.exists(f.data.resolve("hosts/h1")));
        assertTrue(f.sim.calls.contains("detach h1"));
        NotFoundException gone = assertThrows(NotFoundException.class, () -> f.hosts.removeHost("h1"));
        assertEquals("no host named 'h1'; there are no hosts", gone.getMessage());
    }

    @Test
    void hypervisorLeavingDetachesItsHostsAndStopsTheirVmsKeepingDefinitions() throws Exception {
        Fixture f = new Fixture(dir);
        f.bindType(f.hybrid, "hybrid");
        Map<String, Object> sim = f.bindHypervisor(f.sim, "sim");
        f.hosts.addHost(Fixture.host("h1", 8192));
        f.vms.create(VmSpec.of("vm1", 1, 512), "h1");
        f.vms.create(VmSpec.of("vm2", 1, 512), "h1");
        f.vms.start("vm1");

        f.inventory.unbindHypervisor(f.sim, sim);
        HostView h1 = f.hosts.host("h1");
        assertFalse(h1.attached());
        assertEquals("hypervisor 'sim' is not installed", h1.problem());
        assertEquals(VmState.STOPPED, f.vms.vm("vm1").state());
        assertEquals(VmState.DEFINED, f.vms.vm("vm2").state());
        assertTrue(Files.readString(f.vmDir("vm1").resolve("vm.json")).contains("\"state\" : \"STOPPED\""));
        NotFoundException notAttached = assertThrows(NotFoundException.class, () -> f.vms.start("vm1"));
        assertEquals("host 'h1' is not attached: hypervisor 'sim' is not installed", notAttached.getMessage());

        FakeHypervisor again = new FakeHypervisor();
        f.bindHypervisor(again, "sim");
        assertTrue(f.hosts.host("h1").attached());
        assertEquals(List.of("attach h1"), again.calls);
        f.vms.start("vm1");
        assertEquals(VmState.STARTING, f.vms.vm("vm1").state());
    }

    @Test
    void typeLeavingStopsTheVmsInTheHypervisorAndReleasesTheHost() {
        Fixture f = new Fixture(dir);
        Map<String, Object> hybrid = f.bindType(f.hybrid, "hybrid");
        f.bindHypervisor(f.sim, "sim");
        f.hosts.addHost(Fixture.host("h1", 8192));
        f.vms.create(VmSpec.of("vm1", 1, 512), "h1");
        f.vms.start("vm1");
        f.inventory.unbindType(f.hybrid, hybrid);
        assertTrue(f.sim.calls.containsAll(List.of("stop vm1 force", "detach h1")), f.sim.calls.toString());
        assertEquals("hypervisor type 'hybrid' is not installed", f.hosts.host("h1").problem());
        assertNull(f.hosts.host("h1").profile());
        assertEquals(VmState.STOPPED, f.vms.vm("vm1").state());
    }

    @Test
    void whenTheFrameworkStopsLeavingTypesAndHypervisorsStopNoVm() throws Exception {
        Fixture f = new Fixture(dir);
        Map<String, Object> hybrid = f.bindType(f.hybrid, "hybrid");
        Map<String, Object> sim = f.bindHypervisor(f.sim, "sim");
        f.hosts.addHost(Fixture.host("h1", 8192));
        f.vms.create(VmSpec.of("vm1", 1, 512), "h1");
        f.vms.start("vm1");
        String saved = Files.readString(f.vmDir("vm1").resolve("vm.json"));
        long events = f.events.lastSequence();
        f.sim.calls.clear();
        f.frameworkStopping = true;

        f.inventory.unbindType(f.hybrid, hybrid);
        f.inventory.unbindHypervisor(f.sim, sim);

        assertEquals(List.of(), f.sim.calls, "the hypervisor is asked nothing: its guests keep running");
        assertEquals(saved, Files.readString(f.vmDir("vm1").resolve("vm.json")), "the VM's saved state is kept for the next start");
        assertEquals(List.of(), f.events.since(events));
        assertFalse(f.hosts.host("h1").attached());
    }

    @Test
    void restartReloadsAndReattachesVmsTheHypervisorStillRuns() {
        Fixture f = new Fixture(dir).installed().withTwoVmsStarted();
        f.sim.running.get("h1").remove("vm2");

        f.restart();
        assertEquals(VmState.STOPPED, f.vms.vm("vm1").state(), "nothing holds it until its host is attached");
        f.installed();
        assertEquals(VmState.RUNNING, f.vms.vm("vm1").state(), "the hypervisor still runs it");
        assertEquals(VmState.STOPPED, f.vms.vm("vm2").state(), "the hypervisor lost it");
        assertEquals(List.of(), f.vms.loadProblems());
    }

    @Test
    void corruptHostDefinitionIsSkippedKeptAndItsNameCannotBeReused() throws Exception {
        Fixture f = new Fixture(dir).installed();
        Path file = Files.createDirectories(f.data.resolve("hosts/h9")).resolve("host.json");
        byte[] junk = "{\"format\":\"1.0\",\"host\":{\"name\":\"h9\",\"cores\":0}}".getBytes(StandardCharsets.UTF_8);
        Files.write(file, junk);
        f.restart();
        f.installed();
        assertEquals(1, f.vms.loadProblems().size());
        assertTrue(f.vms.loadProblems().get(0).startsWith(file + ": it holds an invalid value"), f.vms.loadProblems().get(0));
        ConflictException e = assertThrows(ConflictException.class, () -> f.hosts.addHost(Fixture.host("h9", 4096)));
        assertTrue(e.getMessage().contains("its directory exists but holds no readable definition"), e.getMessage());
        assertArrayEquals(junk, Files.readAllBytes(file));
        assertTrue(f.events.since(0).stream().anyMatch(ev -> ev.category() == EventCategory.SYSTEM && ev.type().equals("load-problem")));
    }

    @Test
    void findHostAndHostListTheHostsThatExist() {
        Fixture f = new Fixture(dir).installed();
        f.hosts.addHost(Fixture.host("b", 8192));
        f.hosts.addHost(HostSpec.of("a", 2, 2000, 4096, HypervisorKind.HYBRID));
        assertEquals(List.of("a", "b"), f.hosts.hosts().stream().map(HostView::name).toList());
        assertTrue(f.hosts.findHost("zz").isEmpty());
        assertEquals("no host named 'zz'; hosts: a, b", assertThrows(NotFoundException.class, () -> f.hosts.host("zz")).getMessage());
    }
}
