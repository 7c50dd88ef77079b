package org.vireo.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.vireo.api.cpu.CpuQosPolicy;
import org.vireo.api.hypervisor.Hypervisor;
import org.vireo.api.hypervisor.HypervisorType;
import org.vireo.api.inventory.AdmissionException;
import org.vireo.api.inventory.ConflictException;
import org.vireo.api.inventory.HostAdminService;
import org.vireo.api.inventory.HostView;
import org.vireo.api.inventory.IllegalTransitionException;
import org.vireo.api.inventory.NotFoundException;
import org.vireo.api.inventory.PolicyFamily;
import org.vireo.api.inventory.PolicyService;
import org.vireo.api.inventory.VmAdminService;
import org.vireo.api.inventory.VmView;
import org.vireo.api.model.CpuQos;
import org.vireo.api.model.DiskSpec;
import org.vireo.api.model.HostSpec;
import org.vireo.api.model.HypervisorKind;
import org.vireo.api.model.MemoryQos;
import org.vireo.api.model.VmSpec;
import org.vireo.api.model.VmState;
import org.vireo.api.model.WorkloadSpec;

/** Hosts and VMs through core's services, on the simulated hypervisor of the runtime. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class InventoryIT extends VireoTestSupport {
    private HostAdminService hosts;
    private VmAdminService vms;
    private PolicyService policies;

    @Before
    public void services() {
        hosts = service(HostAdminService.class);
        vms = service(VmAdminService.class);
        policies = service(PolicyService.class);
        await("the sim hypervisor and the three hypervisor types", () -> policies.named(Hypervisor.class, "sim").isPresent()
                && List.of("hosted", "baremetal", "hybrid").stream()
                        .allMatch(t -> policies.named(HypervisorType.class, t).isPresent()));
    }

    @Test
    public void hostsAndVmsAreCreatedAttachedAndSaved() throws Exception {
        HostView h = hosts.addHost(HostSpec.of("inv-h1", 8, 2400, 32 * 1024, HypervisorKind.HYBRID));
        hosts.addHost(HostSpec.of("inv-h2", 16, 2500, 64 * 1024, HypervisorKind.BAREMETAL));
        assertEquals("inv-h1", h.name());
        assertTrue("attached to sim: " + h.problem(), h.attached());
        assertEquals(HypervisorKind.HYBRID, h.profile().kind());
        assertTrue(hosts.hosts().stream().map(HostView::name).toList().containsAll(List.of("inv-h1", "inv-h2")));
        assertTrue("bare metal reserves CPU for its privileged domain",
                hosts.host("inv-h2").profile().reservedCpuMhz() > 0);

        VmSpec spec = new VmSpec("inv-web", 2, 2048, new CpuQos(3000L, 500, 2000), new MemoryQos(512, 1500),
                List.of(DiskSpec.parse("10G", "disk0"), DiskSpec.parse("name=data,size=20G,format=raw", "disk1")),
                List.of(), WorkloadSpec.parse("web"), "alpine-3");
        VmView created = vms.create(spec, "inv-h1");

        assertEquals(VmState.DEFINED, created.state());
        assertEquals("inv-h1", created.host());
        assertEquals(spec, created.spec());
        assertEquals(spec, vms.vm("inv-web").spec());
        Path directory = Path.of(created.directory());
        assertTrue(directory + " holds vm.json", Files.isRegularFile(directory.resolve("vm.json")));
        assertTrue(directory.startsWith(Path.of(context.getProperty("vireo.data"))));
        assertTrue(hosts.host("inv-h1").vms().contains("inv-web"));

        VmView placed = vms.create(VmSpec.of("inv-placed", 1, 512), null);
        assertTrue(List.of("inv-h1", "inv-h2").contains(placed.host()));
    }

    @Test
    public void vmLifecycleFollowsTheStateMachine() {
        hosts.addHost(HostSpec.of("life-h", 8, 2400, 32 * 1024, HypervisorKind.HOSTED));
        vms.create(VmSpec.of("life-a", 1, 1024).withWorkload(WorkloadSpec.parse("batch")), "life-h");
        vms.create(VmSpec.of("life-b", 1, 1024), "life-h");

        assertTrue(vms.start("life-a").state().isActive());
        awaitState("life-a", VmState.RUNNING);
        vms.start("life-b");
        awaitState("life-b", VmState.RUNNING);

        assertEquals(VmState.PAUSED, vms.pause("life-a").state());
        assertEquals(VmState.RUNNING, vms.resume("life-a").state());
        assertEquals(VmState.STOPPED, vms.stop("life-a", true).state());
        vms.start("life-a");
        awaitState("life-a", VmState.RUNNING);

        assertEquals(VmState.CRASHED, vms.crash("life-a").state());
        assertEquals("the neighbour keeps running", VmState.RUNNING, vms.vm("life-b").state());
        awaitState("life-b", VmState.RUNNING);

        vms.start("life-a");
        awaitState("life-a", VmState.RUNNING);
        vms.stop("life-a", true);
        String directory = vms.vm("life-a").directory();
        vms.destroy("life-a");
        assertTrue(vms.findVm("life-a").isEmpty());
        assertFalse(directory + " is deleted", Files.exists(Path.of(directory)));
    }

    @Test
    public void badRequestsAreRefusedAndChangeNothing() {
        hosts.addHost(HostSpec.of("bad-h", 4, 2000, 8 * 1024, HypervisorKind.HYBRID));
        vms.create(VmSpec.of("bad-vm", 1, 1024), "bad-h");
        Map<String, String> before = inventory();

        assertThrows(ConflictException.class, () -> vms.create(VmSpec.of("bad-vm", 2, 2048), "bad-h"));
        assertThrows(ConflictException.class, () -> hosts.addHost(HostSpec.of("bad-h", 8, 2400, 8 * 1024, HypervisorKind.HOSTED)));
        NotFoundException noHost = assertThrows(NotFoundException.class, () -> vms.create(VmSpec.of("bad-2", 1, 512), "nohost"));
        assertTrue(noHost.getMessage(), noHost.getMessage().contains("nohost"));
        NotFoundException noVm = assertThrows(NotFoundException.class, () -> vms.start("novm"));
        assertTrue(noVm.getMessage(), noVm.getMessage().contains("novm"));
        IllegalTransitionException notRunning = assertThrows(IllegalTransitionException.class, () -> vms.pause("bad-vm"));
        assertTrue(notRunning.getMessage(), notRunning.getMessage().contains("DEFINED"));
        assertThrows(ConflictException.class, () -> hosts.removeHost("bad-h"));
        assertThrows(NotFoundException.class,
                () -> hosts.addHost(HostSpec.of("bad-h3", 4, 2000, 8 * 1024, HypervisorKind.HYBRID).withHypervisor("nosuch")));

        assertEquals(before, inventory());
        assertFalse(Files.exists(Path.of(context.getProperty("vireo.data")).resolve("vms").resolve("bad-2")));
    }

    @Test
    public void admissionRefusesAReservationTheHostCannotHonour() {
        await("the reservation CPU policy", () -> policies.named(CpuQosPolicy.class, "reservation").isPresent());
        policies.use(PolicyFamily.CPU, "reservation");
        // 4 x 2000 MHz less the hosted type's reservation and overhead leaves about 6,700 MHz to guests
        hosts.addHost(HostSpec.of("adm-h", 4, 2000, 8 * 1024, HypervisorKind.HOSTED));
        vms.create(VmSpec.of("adm-big", 4, 1024).withCpu(new CpuQos(null, 6_000, 1000)), "adm-h");
        vms.create(VmSpec.of("adm-more", 1, 1024).withCpu(new CpuQos(null, 1_000, 1000)), "adm-h");
        vms.start("adm-big");
        Map<String, String> before = inventory();

        AdmissionException refused = assertThrows(AdmissionException.class, () -> vms.start("adm-more"));

        assertTrue(refused.getMessage(), refused.getMessage().contains("adm-h"));
        assertEquals(VmState.DEFINED, vms.vm("adm-more").state());
        assertEquals(before, inventory());
    }

    /** @return every host and VM with its definition and state, to compare before and after */
    private Map<String, String> inventory() {
        Map<String, String> all = new TreeMap<>();
        hosts.hosts().forEach(h -> all.put("host " + h.name(), h.spec() + " vms=" + h.vms()));
        vms.vms().forEach(v -> all.put("vm " + v.name(), v.spec() + " on " + v.host() + " " + stable(v.state())));
        return all;
    }

    private static VmState stable(VmState state) {
        return state == VmState.STARTING ? VmState.RUNNING : state;
    }

    private void awaitState(String vm, VmState state) {
        await(vm + " " + state, () -> vms.vm(vm).state(), s -> s == state);
    }
}
