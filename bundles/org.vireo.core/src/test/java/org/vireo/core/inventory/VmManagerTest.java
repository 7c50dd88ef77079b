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
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vireo.api.cpu.Admission;
import org.vireo.api.cpu.CpuAllocation;
import org.vireo.api.cpu.CpuQosPolicy;
import org.vireo.api.cpu.CpuSnapshot;
import org.vireo.api.hypervisor.HypervisorEvent;
import org.vireo.api.hypervisor.HypervisorException;
import org.vireo.api.hypervisor.HypervisorType;
import org.vireo.api.hypervisor.TypeProfile;
import org.vireo.api.inventory.AdmissionException;
import org.vireo.api.inventory.ConflictException;
import org.vireo.api.inventory.EventCategory;
import org.vireo.api.inventory.IllegalTransitionException;
import org.vireo.api.inventory.NotFoundException;
import org.vireo.api.inventory.PolicyFamily;
import org.vireo.api.inventory.VireoEvent;
import org.vireo.api.inventory.VmView;
import org.vireo.api.model.CpuModel;
import org.vireo.api.model.CpuQos;
import org.vireo.api.model.DatastoreSpec;
import org.vireo.api.model.DiskFormat;
import org.vireo.api.model.DiskSpec;
import org.vireo.api.model.HostSpec;
import org.vireo.api.model.HypervisorKind;
import org.vireo.api.model.InvalidSpecException;
import org.vireo.api.model.MemoryQos;
import org.vireo.api.model.VmSpec;
import org.vireo.api.model.VmState;
import org.vireo.core.disk.Qcow2;
import org.vireo.core.policy.ChoiceStore;
import org.vireo.core.policy.PolicyManager;

class VmManagerTest {
    private static final long MIB = 1024L * 1024;

    @TempDir
    Path dir;

    private Fixture f;

    @BeforeEach
    void setUp() {
        f = new Fixture(dir).installed();
        f.hosts.addHost(Fixture.host("h1", 8192));
    }

    private static VmSpec vm(String name, DiskSpec... disks) {
        return VmSpec.of(name, 2, 1024).withDisks(List.of(disks));
    }

    private static DiskSpec cow(String name) {
        return new DiskSpec(name, 1024, "local", DiskFormat.COW, null, false);
    }

    private static DiskSpec raw(String name) {
        return new DiskSpec(name, 16, "local", DiskFormat.RAW, null, false);
    }

    private static DiskSpec shared(String name) {
        return new DiskSpec(name, 16, "san", DiskFormat.RAW, null, true);
    }

    private List<String> vmEventTypes(String vm) {
        return f.events.since(0).stream().filter(e -> e.category() == EventCategory.VM && e.subject().equals(vm))
                .map(VireoEvent::type).toList();
    }

    // ---- definition ---------------------------------------------------------------------

    @Test
    void createWritesDefinitionAndDisksAndReturnsADefinedVm() throws Exception {
        VmView view = f.vms.create(vm("vm1", cow("os"), raw("swap"), shared("data")), "h1");
        assertEquals(VmState.DEFINED, view.state());
        assertEquals("h1", view.host());
        assertEquals(f.vmDir("vm1").toString(), view.directory());
        assertNull(view.live());
        assertEquals(1024 * MIB, Qcow2.read(f.vmDir("vm1").resolve("os.qcow2")).size());
        assertEquals(16 * MIB, Files.size(f.vmDir("vm1").resolve("swap.img")));
        assertEquals(f.data.resolve("datastores/san/vm1-data.img"), Files.readSymbolicLink(f.vmDir("vm1").resolve("data.img")));
        String json = Files.readString(f.vmDir("vm1").resolve("vm.json"));
        assertTrue(json.contains("\"host\" : \"h1\"") && json.contains("\"state\" : \"DEFINED\"")
                && json.contains("\"data\" : \"datastores/san/vm1-data.img\""), json);
        assertEquals(List.of("defined"), vmEventTypes("vm1"));
    }

    @Test
    void createWithoutHostPicksTheAttachedHostWithTheMostUnallocatedMemory() {
        f.hosts.addHost(Fixture.host("h2", 16384));
        assertEquals("h2", f.vms.create(VmSpec.of("big", 1, 12000), null).host());
        assertEquals("h1", f.vms.create(VmSpec.of("next", 1, 512), null).host(), "h1: 7680 MiB free, h2: 3872 MiB");
    }

    @Test
    void placementFailuresNameTheReason() {
        Fixture empty = new Fixture(dir.resolve("other")).installed();
        assertEquals("cannot place VM 'vm1': there are no hosts; add one first",
                assertThrows(NotFoundException.class, () -> empty.vms.create(VmSpec.of("vm1", 1, 512), null)).getMessage());
        f.inventory.unbindHypervisor(f.sim, Map.of(org.osgi.framework.Constants.SERVICE_ID, 2L));
        NotFoundException detached = assertThrows(NotFoundException.class, () -> f.vms.create(VmSpec.of("vm1", 1, 512), null));
        assertEquals("cannot place VM 'vm1': no host is attached: h1 (hypervisor 'sim' is not installed)", detached.getMessage());
    }

    @Test
    void badInputsGetSpecificErrorsAndChangeNothingOnDisk() throws Exception {
        f.vms.create(vm("vm1", raw("os"), shared("data")), "h1");
        Path corrupt = Files.createDirectories(f.vmDir("broken")).resolve("vm.json");
        Files.writeString(corrupt, "{not json");
        Map<String, String> before = f.tree();

        assertEquals("a VM named 'vm1' exists already (on host 'h1')",
                assertThrows(ConflictException.class, () -> f.vms.create(vm("vm1"), "h1")).getMessage());
        assertEquals("no host named 'h7'; hosts: h1",
                assertThrows(NotFoundException.class, () -> f.vms.create(vm("vm2", raw("os")), "h7")).getMessage());
        DiskSpec onNas = new DiskSpec("os", 16, "nas", DiskFormat.RAW, null, false);
        assertEquals("datastore 'nas' of disk 'os' of VM 'vm2' is not on host 'h1'; its datastores: local, san",
                assertThrows(NotFoundException.class, () -> f.vms.create(vm("vm2", raw("a"), onNas), "h1")).getMessage());
        assertTrue(assertThrows(ConflictException.class, () -> f.vms.create(vm("broken", raw("os")), "h1")).getMessage()
                .contains("its directory " + f.vmDir("broken") + " exists but holds no readable definition"));
        DiskSpec linkedToNothing = cow("os").withBase(dir.resolve("nowhere.qcow2").toString());
        assertThrows(NotFoundException.class, () -> f.vms.create(vm("vm2", linkedToNothing), "h1"));
        DiskSpec sameVolumeBigger = new DiskSpec("data", 32, "san", DiskFormat.RAW, null, true);
        f.vms.destroy("vm1");
        Map<String, String> afterDestroy = f.tree();
        assertTrue(afterDestroy.containsKey("datastores/san/vm1-data.img"), "destroy keeps the shared volume");
        assertTrue(assertThrows(ConflictException.class, () -> f.vms.create(vm("vm1", sameVolumeBigger), "h1")).getMessage()
                .contains("its capacity is 16 MiB but the disk asks for 32 MiB"));
        assertThrows(InvalidSpecException.class, () -> f.vms.create(null, "h1"));
        assertThrows(InvalidSpecException.class, () -> vm("vm2").withCpu(new CpuQos(1000L, 2000, 1000)),
                "a reservation above the limit never reaches the inventory");
        assertEquals(afterDestroy, f.tree());
        before.keySet().removeIf(k -> k.startsWith("vms/vm1"));
        assertEquals(before, afterDestroy);
        assertEquals("{not json", Files.readString(corrupt));
    }

    @Test
    void corruptVmDefinitionIsReportedSkippedAndKeptByteIdentical() throws Exception {
        f.vms.create(vm("good", raw("os")), "h1");
        Path file = Files.createDirectories(f.vmDir("bad")).resolve("vm.json");
        byte[] junk = "{\"format\":\"1.0\",\"vm\":".getBytes(StandardCharsets.UTF_8);
        Files.write(file, junk);
        Path future = Files.createDirectories(f.vmDir("future")).resolve("vm.json");
        byte[] v2 = Files.readString(f.vmDir("good").resolve("vm.json")).replace("\"1.0\"", "\"2.0\"").replace("\"good\"", "\"future\"")
                .getBytes(StandardCharsets.UTF_8);
        Files.write(future, v2);
        f.restart();
        f.installed();
        assertEquals(List.of("good"), f.vms.vms().stream().map(VmView::name).toList());
        List<String> problems = f.vms.loadProblems();
        assertEquals(2, problems.size());
        assertTrue(problems.get(0).startsWith(file + ": it is not valid JSON"), problems.get(0));
        assertEquals(future + ": format 2.0 is not supported: this version of Vireo reads format 1.x only", problems.get(1));
        assertThrows(ConflictException.class, () -> f.vms.create(vm("bad"), "h1"));
        assertArrayEquals(junk, Files.readAllBytes(file));
        assertArrayEquals(v2, Files.readAllBytes(future));
    }

    // ---- lifecycle ----------------------------------------------------------------------

    @Test
    void lifecycleGoesThroughTheHypervisorAndIsSavedAtEachStep() throws Exception {
        f.vms.create(vm("vm1", cow("os")), "h1");
        VmView started = f.vms.start("vm1");
        assertEquals(VmState.STARTING, started.state());
        assertNotNull(started.live());
        assertEquals("start vm1 in " + f.vmDir("vm1"), f.sim.calls.get(f.sim.calls.size() - 1));

        f.sim.emit("h1", "vm1", VmState.RUNNING, "booted");
        f.inventory.pollAll();
        assertEquals(VmState.RUNNING, f.vms.vm("vm1").state());
        assertEquals(VmState.PAUSED, f.vms.pause("vm1").state());
        assertEquals(VmState.RUNNING, f.vms.resume("vm1").state());
        assertEquals(VmState.STOPPED, f.vms.stop("vm1", false).state());
        assertTrue(Files.readString(f.vmDir("vm1").resolve("vm.json")).contains("\"state\" : \"STOPPED\""));
        f.vms.start("vm1");
        assertEquals(VmState.CRASHED, f.vms.crash("vm1").state());
        f.vms.start("vm1");
        assertEquals(VmState.STOPPED, f.vms.stop("vm1", true).state());
        assertTrue(f.sim.calls.containsAll(List.of("pause vm1", "resume vm1", "stop vm1", "crash vm1", "stop vm1 force")));
        assertEquals(List.of("defined", "starting", "running", "paused", "running", "stopped", "starting", "crashed", "starting",
                "stopped"), vmEventTypes("vm1"));
    }

    @Test
    void illegalOperationsAreRefusedWithoutCallingTheHypervisorOrWriting() {
        f.vms.create(vm("vm1"), "h1");
        Map<String, String> before = f.tree();
        int calls = f.sim.calls.size();
        IllegalTransitionException e = assertThrows(IllegalTransitionException.class, () -> f.vms.pause("vm1"));
        assertEquals("cannot pause VM 'vm1': it is DEFINED; pause is allowed only when RUNNING", e.getMessage());
        assertThrows(IllegalTransitionException.class, () -> f.vms.stop("vm1", false));
        assertThrows(IllegalTransitionException.class, () -> f.vms.resume("vm1"));
        assertThrows(NotFoundException.class, () -> f.vms.start("nope"));
        f.vms.start("vm1");
        assertThrows(IllegalTransitionException.class, () -> f.vms.start("vm1"));
        IllegalTransitionException destroy = assertThrows(IllegalTransitionException.class, () -> f.vms.destroy("vm1"));
        assertEquals("cannot destroy VM 'vm1': it is STARTING; destroy is allowed only when DEFINED, STOPPED or CRASHED",
                destroy.getMessage());
        assertEquals(calls + 1, f.sim.calls.size(), "only the legal start reached the hypervisor");
        assertEquals(before.keySet(), f.tree().keySet());
    }

    @Test
    void hypervisorFailureLeavesTheStateAsItWas() throws Exception {
        f.vms.create(vm("vm1"), "h1");
        byte[] saved = Files.readAllBytes(f.vmDir("vm1").resolve("vm.json"));
        f.sim.failNext = new IllegalStateException("qemu exited with status 1");
        HypervisorException e = assertThrows(HypervisorException.class, () -> f.vms.start("vm1"));
        assertEquals("hypervisor 'sim' failed to start VM 'vm1' on host 'h1': java.lang.IllegalStateException: qemu exited with "
                + "status 1", e.getMessage());
        assertEquals(VmState.DEFINED, f.vms.vm("vm1").state());
        assertArrayEquals(saved, Files.readAllBytes(f.vmDir("vm1").resolve("vm.json")));
    }

    @Test
    void monitorAppliesReportedChangesAndIgnoresEchoesOfOlderSteps() {
        f.vms.create(vm("vm1"), "h1");
        f.sim.startState = VmState.RUNNING;
        f.vms.start("vm1");
        f.sim.emit("h1", "vm1", VmState.STARTING, "booting");
        f.sim.emit("h1", "vm1", VmState.RUNNING, "booted");
        f.sim.emit("h1", null, null, "Dom0 is up");
        f.inventory.pollAll();
        assertEquals(VmState.RUNNING, f.vms.vm("vm1").state());
        f.sim.emit("h1", "vm1", VmState.CRASHED, "guest kernel panic");
        f.inventory.pollAll();
        assertEquals(VmState.CRASHED, f.vms.vm("vm1").state());
        VireoEvent crash = f.events.since(0).stream().filter(e -> e.type().equals("crashed")).findFirst().orElseThrow();
        assertTrue(crash.message().contains("reported by hypervisor 'sim': guest kernel panic"), crash.message());
        assertTrue(f.events.since(0).stream().anyMatch(e -> e.category() == EventCategory.HOST && e.message().contains("Dom0 is up")));
        f.inventory.pollAll();
        assertEquals(1, f.events.since(0).stream().filter(e -> e.type().equals("crashed")).count(), "each event is applied once");
    }

    @Test
    void thePrivilegedDomainsEventsAreAboutItsHostNeverAVm() {
        HypervisorType xen = new HypervisorType() {
            @Override
            public HypervisorKind kind() {
                return HypervisorKind.BAREMETAL;
            }

            @Override
            public TypeProfile profile(HostSpec host) {
                return new TypeProfile(HypervisorKind.BAREMETAL, "fake xen", 0, 1000,
                        1024, "Dom0", "split drivers", 16, false);
            }
        };
        f.bindType(xen, "baremetal");
        f.hosts.addHost(new HostSpec("x1", "c1", 4, 2500, 8192, HypervisorKind.BAREMETAL,
                "sim", CpuModel.DEFAULT, List.of(DatastoreSpec.LOCAL), 10_000));
        long before = f.events.lastSequence();
        f.sim.events.add(new HypervisorEvent(1000, 0, "x1", "Dom0", VmState.RUNNING, "Dom0 running"));

        f.inventory.pollAll();

        List<VireoEvent> seen = f.events.since(before);
        assertEquals(1, seen.size(), seen.toString());
        assertEquals(EventCategory.HOST, seen.get(0).category());
        assertEquals("x1", seen.get(0).subject());
        assertEquals("host 'x1': Dom0 running", seen.get(0).message());
        assertThrows(InvalidSpecException.class, () -> f.vms.create(VmSpec.of("Dom0", 1, 512), "x1"));
        f.vms.create(VmSpec.of("Dom0", 1, 512), "h1");
        assertEquals(VmState.DEFINED, f.vms.vm("Dom0").state(), "a name is only reserved on hosts with that privileged domain");
    }

    @Test
    void eventsAreAppliedBeforeAnOperationSoItSeesTheRealState() {
        f.vms.create(vm("vm1"), "h1");
        f.vms.start("vm1");
        f.sim.emit("h1", "vm1", VmState.RUNNING, "booted");
        assertEquals(VmState.PAUSED, f.vms.pause("vm1").state(), "RUNNING was applied before the check");
    }

    @Test
    void monitorThreadPollsUntilClosed() throws Exception {
        f.vms.create(vm("vm1"), "h1");
        f.vms.start("vm1");
        f.sim.emit("h1", "vm1", VmState.RUNNING, "booted");
        f.sim.polled = new CountDownLatch(3);
        f.inventory.startMonitor();
        assertTrue(f.sim.polled.await(60, TimeUnit.SECONDS), "the monitor polls the attached host");
        f.inventory.close();
        assertEquals(VmState.RUNNING, f.vms.vm("vm1").state());
    }

    // ---- admission ------------------------------------------------------------------------

    @Test
    void memoryOvercommitRefusalGivesTheNumbersAndChangesNothing() throws Exception {
        f.vms.create(VmSpec.of("a", 1, 6000), "h1");
        f.vms.create(VmSpec.of("b", 1, 6000), "h1");
        f.vms.start("a");
        byte[] saved = Files.readAllBytes(f.vmDir("b").resolve("vm.json"));
        AdmissionException e = assertThrows(AdmissionException.class, () -> f.vms.start("b"));
        assertEquals("cannot start VM 'b' on host 'h1': memory of 6000 MiB asked, 5520 MiB left of 11520 MiB allowed (global "
                + "overcommit ratio 1.50 x 7680 MiB usable of 8192 MiB host memory; active VMs have 6000 MiB)", e.getMessage());
        assertEquals(VmState.DEFINED, f.vms.vm("b").state());
        assertArrayEquals(saved, Files.readAllBytes(f.vmDir("b").resolve("vm.json")));
        f.vms.stop("a", true);
        assertEquals(VmState.STARTING, f.vms.start("b").state(), "a stopped VM holds nothing");
    }

    @Test
    void aClustersOwnRatioAdmitsWhatTheGlobalOneRefusesOnlyOnItsHostsFromTheNextAdmission() {
        f.hosts.addHost(Fixture.host("h2", 8192).withCluster("c2"));
        for (String host : List.of("h1", "h2")) {
            f.vms.create(VmSpec.of(host + "-a", 1, 6000), host);
            f.vms.create(VmSpec.of(host + "-b", 1, 6000), host);
            f.vms.start(host + "-a");
            assertThrows(AdmissionException.class, () -> f.vms.start(host + "-b"), "12,000 MiB are above 1.5 x 7,680 MiB");
        }

        f.inventory.modified(SettingsTest.config(1.5, "c1=2.0"));

        assertEquals(VmState.STARTING, f.vms.start("h1-b").state(), "h1 is in cluster c1: 12,000 MiB fit 2.0 x 7,680 MiB");
        AdmissionException other = assertThrows(AdmissionException.class, () -> f.vms.start("h2-b"));
        assertEquals("cannot start VM 'h2-b' on host 'h2': memory of 6000 MiB asked, 5520 MiB left of 11520 MiB allowed (global "
                + "overcommit ratio 1.50 x 7680 MiB usable of 8192 MiB host memory; active VMs have 6000 MiB)", other.getMessage());
        f.vms.create(VmSpec.of("h1-c", 1, 3361), "h1");
        AdmissionException own = assertThrows(AdmissionException.class, () -> f.vms.start("h1-c"));
        assertEquals("cannot start VM 'h1-c' on host 'h1': memory of 3361 MiB asked, 3360 MiB left of 15360 MiB allowed (overcommit "
                + "ratio 2.00 of cluster 'c1' x 7680 MiB usable of 8192 MiB host memory; active VMs have 12000 MiB)", own.getMessage());

        f.inventory.modified(SettingsTest.config(2.0, "c1=bad"));
        assertEquals(VmState.STARTING, f.vms.start("h2-b").state(), "the global ratio, now 2.0, applies to c2");
        assertEquals(2.0, f.inventory.settings().overcommitRatio("c1"), "c1's ignored entry leaves it the global ratio");
    }

    @Test
    void cpuReservationWithoutPolicyMustFitTheGuestCapacity() {
        // 4 x 2500 = 10,000 MHz, less 1,000 reserved by the type, less 10 %: 8,100 MHz
        f.vms.create(VmSpec.of("a", 1, 512).withCpu(CpuQos.DEFAULT.withReservationMhz(8000)), "h1");
        f.vms.create(VmSpec.of("b", 1, 512).withCpu(CpuQos.DEFAULT.withReservationMhz(200)), "h1");
        f.vms.start("a");
        AdmissionException e = assertThrows(AdmissionException.class, () -> f.vms.start("b"));
        assertEquals("cannot start VM 'b' on host 'h1': CPU reservation of 200 MHz asked, 100 MHz unreserved of 8100 MHz guest "
                + "capacity (8000 MHz reserved by 1 other VMs)", e.getMessage());
    }

    @Test
    void activeCpuPolicyDecidesAdmission() {
        CpuQosPolicy capped = new CpuQosPolicy() {
            @Override
            public CpuAllocation allocate(CpuSnapshot host) {
                return new CpuAllocation(List.of(), List.of());
            }

            @Override
            public Admission admit(CpuSnapshot host, VmSpec candidate) {
                return candidate.cpu().reservationMhz() <= 1000 ? Admission.granted()
                        : Admission.refused("reservation of " + candidate.cpu().reservationMhz() + " MHz is above the 1000 MHz cap");
            }
        };
        ChoiceStore choices = new ChoiceStore() {
            @Override
            public void save(PolicyFamily family, String name) {
            }

            @Override
            public Optional<Map<PolicyFamily, String>> current() {
                return Optional.empty();
            }
        };
        PolicyManager policies = new PolicyManager(Map.of(), choices, f.events, id -> "test");
        policies.bindCpu(capped, Map.of("vireo.name", "capped", org.osgi.framework.Constants.SERVICE_ID, 99L));
        f.inventory.setPolicies(policies);
        f.vms.create(VmSpec.of("a", 1, 512).withCpu(CpuQos.DEFAULT.withReservationMhz(1500)), "h1");
        AdmissionException e = assertThrows(AdmissionException.class, () -> f.vms.start("a"));
        assertEquals("cannot start VM 'a' on host 'h1': reservation of 1500 MHz is above the 1000 MHz cap (CPU policy 'capped')",
                e.getMessage());
        f.vms.setCpuQos("a", CpuQos.DEFAULT.withReservationMhz(900));
        f.vms.start("a");
        assertThrows(AdmissionException.class, () -> f.vms.setCpuQos("a", CpuQos.DEFAULT.withReservationMhz(1001)));
        assertEquals(900, f.vms.vm("a").spec().cpu().reservationMhz());
        f.inventory.unsetPolicies(policies);
        f.vms.setCpuQos("a", CpuQos.DEFAULT.withReservationMhz(5000));
        assertEquals(5000, f.vms.vm("a").spec().cpu().reservationMhz(), "without a policy only the capacity limits it");
    }

    @Test
    void qosOfARunningVmIsAdmittedAndAppliedByTheHypervisor() throws Exception {
        f.vms.create(VmSpec.of("a", 1, 4096).withMemory(new MemoryQos(4000, 1000)), "h1");
        f.vms.create(VmSpec.of("b", 1, 4096), "h1");
        f.vms.start("a");
        f.vms.start("b");
        VmView changed = f.vms.setCpuQos("b", new CpuQos(4000L, 2000, 500));
        assertEquals(new CpuQos(4000L, 2000, 500), changed.spec().cpu());
        assertTrue(f.sim.calls.contains("reconfigure b"));
        assertEquals(new CpuQos(4000L, 2000, 500), changed.live().spec().cpu());
        byte[] saved = Files.readAllBytes(f.vmDir("b").resolve("vm.json"));
        AdmissionException e = assertThrows(AdmissionException.class, () -> f.vms.setMemoryQos("b", new MemoryQos(3681, 1000)));
        assertEquals("cannot change the memory QoS of VM 'b' on host 'h1': memory reservation of 3681 MiB asked, 3680 MiB unreserved "
                + "of 7680 MiB usable (8192 MiB host memory less 512 MiB for the hypervisor; active VMs reserve 4000 MiB)", e.getMessage());
        assertArrayEquals(saved, Files.readAllBytes(f.vmDir("b").resolve("vm.json")));
        assertThrows(InvalidSpecException.class, () -> f.vms.setMemoryQos("b", new MemoryQos(5000, 1000)),
                "a reservation above the VM's memory");
        f.vms.setMemoryQos("b", new MemoryQos(3680, 1000));
        int calls = f.sim.calls.size();
        f.vms.stop("b", false);
        f.vms.setCpuQos("b", CpuQos.DEFAULT);
        assertEquals(calls + 1, f.sim.calls.size(), "a stopped VM is changed without the hypervisor");
    }

    // ---- copies -------------------------------------------------------------------------

    @Test
    void fullCloneCopiesOwnDisksAndSharesVolumes() throws Exception {
        f.vms.create(vm("src", raw("os"), shared("data")), "h1");
        Files.write(f.vmDir("src").resolve("os.img"), new byte[] {7, 7, 7}, java.nio.file.StandardOpenOption.WRITE);
        VmView clone = f.vms.cloneVm("src", "copy", false);
        assertEquals(VmState.DEFINED, clone.state());
        assertEquals("h1", clone.host());
        assertArrayEquals(Files.readAllBytes(f.vmDir("src").resolve("os.img")), Files.readAllBytes(f.vmDir("copy").resolve("os.img")));
        assertEquals(Files.readSymbolicLink(f.vmDir("src").resolve("data.img")), Files.readSymbolicLink(f.vmDir("copy").resolve("data.img")));
        assertTrue(Files.readString(f.vmDir("copy").resolve("vm.json")).contains("\"clonedFrom\" : \"src\""));
        f.vms.destroy("src");
        assertTrue(Files.exists(f.vmDir("copy").resolve("os.img")), "a full clone does not depend on its source");
    }

    @Test
    void linkedCloneReferencesTheSourceDisksWhichThenCannotBeDestroyed() throws Exception {
        f.vms.create(vm("gold", cow("os"), raw("scratch"), shared("data")), "h1");
        VmView clone = f.vms.cloneVm("gold", "web1", true);
        Path goldOs = f.vmDir("gold").resolve("os.qcow2");
        Path goldScratch = f.vmDir("gold").resolve("scratch.img");
        assertEquals(goldOs.toString(), clone.spec().disks().get(0).base());
        assertEquals(goldOs.toString(), Qcow2.read(f.vmDir("web1").resolve("os.qcow2")).backingFile());
        assertEquals(goldScratch.toString(), Qcow2.read(f.vmDir("web1").resolve("scratch.qcow2")).backingFile(),
                "a raw disk is linked through a copy-on-write disk over it");
        assertTrue(clone.spec().disks().get(2).shared());
        f.vms.cloneVm("web1", "web1a", true);
        assertEquals(f.vmDir("web1").resolve("os.qcow2").toString(), f.vms.vm("web1a").spec().disks().get(0).base());

        Map<String, String> before = f.tree();
        ConflictException e = assertThrows(ConflictException.class, () -> f.vms.destroy("gold"));
        assertEquals("cannot destroy VM 'gold': linked clones reference its disks: web1 (disk 'os' on " + goldOs + "); web1 (disk "
                + "'scratch' on " + goldScratch + ") (destroy the clones first)", e.getMessage());
        assertThrows(ConflictException.class, () -> f.vms.destroy("web1"));
        assertEquals(before, f.tree());
        f.vms.destroy("web1a");
        f.vms.destroy("web1");
        f.vms.destroy("gold");
        assertFalse(Files.exists(f.vmDir("gold")));
        assertTrue(Files.exists(f.data.resolve("datastores/san/gold-data.img")), "shared volumes outlive their VMs");
    }

    @Test
    void cloneAndExportNeedAStoppedVmAndAFreeName() {
        f.vms.create(vm("src", raw("os")), "h1");
        f.vms.create(vm("other"), "h1");
        f.vms.start("src");
        assertThrows(IllegalTransitionException.class, () -> f.vms.cloneVm("src", "c", false));
        assertThrows(IllegalTransitionException.class, () -> f.vms.exportVm("src", dir.resolve("out").toString()));
        f.vms.stop("src", true);
        assertEquals("a VM named 'other' exists already (on host 'h1')",
                assertThrows(ConflictException.class, () -> f.vms.cloneVm("src", "other", false)).getMessage());
        assertThrows(InvalidSpecException.class, () -> f.vms.cloneVm("src", "../evil", false));
        assertThrows(NotFoundException.class, () -> f.vms.cloneVm("nope", "c", true));
        assertFalse(Files.exists(dir.resolve("out")));
    }

    @Test
    void exportThenImportUnderANewNameOnTheRecordedHost() throws Exception {
        f.vms.create(vm("vm1", cow("os"), shared("data")), "h1");
        String written = f.vms.exportVm("vm1", dir.resolve("export/vm1").toString());
        assertEquals(dir.resolve("export/vm1").toString(), written);
        try (var list = Files.list(Path.of(written))) {
            assertEquals(List.of("os.qcow2", "vm.json"), list.map(p -> p.getFileName().toString()).sorted().toList());
        }
        ConflictException notEmpty = assertThrows(ConflictException.class, () -> f.vms.exportVm("vm1", written));
        assertTrue(notEmpty.getMessage().contains("is not empty"), notEmpty.getMessage());

        VmView imported = f.vms.importVm(written, "vm2");
        assertEquals(VmState.DEFINED, imported.state());
        assertEquals("h1", imported.host());
        assertEquals("vm2", imported.spec().name());
        assertTrue(Files.exists(f.vmDir("vm2").resolve("os.qcow2")));
        assertEquals(f.data.resolve("datastores/san/vm1-data.img"), Files.readSymbolicLink(f.vmDir("vm2").resolve("data.img")),
                "the import attaches the same shared volume");
        assertEquals("a VM named 'vm1' exists already (on host 'h1')",
                assertThrows(ConflictException.class, () -> f.vms.importVm(written, null)).getMessage());
    }

    @Test
    void importPlacesTheVmWhenItsHostDoesNotExist() throws Exception {
        f.vms.create(vm("vm1", raw("os")), "h1");
        String written = f.vms.exportVm("vm1", dir.resolve("export").toString());
        Fixture elsewhere = new Fixture(dir.resolve("site2")).installed();
        elsewhere.hosts.addHost(Fixture.host("other", 4096));
        VmView imported = elsewhere.vms.importVm(written, null);
        assertEquals("other", imported.host());
        assertEquals("vm1", imported.name());
        assertArrayEquals(Files.readAllBytes(Path.of(written, "os.img")), Files.readAllBytes(elsewhere.vmDir("vm1").resolve("os.img")));
    }

    @Test
    void importRefusesWhatIsNotAnExportAndWritesNothing() throws Exception {
        Map<String, String> before = f.tree();
        assertThrows(NotFoundException.class, () -> f.vms.importVm(dir.resolve("missing").toString(), null));
        Path junk = Files.createDirectories(dir.resolve("junk"));
        Files.writeString(junk.resolve("vm.json"), "[]");
        InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> f.vms.importVm(junk.toString(), "x"));
        assertEquals("directory", e.field());
        assertTrue(e.getMessage().contains("is not: it is not a JSON object"), e.getMessage());
        f.vms.create(vm("vm1", raw("os")), "h1");
        Path export = Path.of(f.vms.exportVm("vm1", dir.resolve("e").toString()));
        Files.delete(export.resolve("os.img"));
        Map<String, String> withVm1 = f.tree();
        NotFoundException missingDisk = assertThrows(NotFoundException.class, () -> f.vms.importVm(export.toString(), "vm2"));
        assertTrue(missingDisk.getMessage().contains(export.resolve("os.img") + " of disk 'os' does not exist"), missingDisk.getMessage());
        assertEquals(withVm1, f.tree());
        assertFalse(before.isEmpty());
    }
}
