package org.vireo.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.vireo.api.cpu.Admission;
import org.vireo.api.cpu.CpuAllocation;
import org.vireo.api.cpu.CpuQosPolicy;
import org.vireo.api.cpu.CpuSnapshot;
import org.vireo.api.hypervisor.HostSnapshot;
import org.vireo.api.hypervisor.Hypervisor;
import org.vireo.api.hypervisor.HypervisorEvent;
import org.vireo.api.hypervisor.TypeProfile;
import org.vireo.api.hypervisor.VmSnapshot;
import org.vireo.api.inventory.PolicyFamily;
import org.vireo.api.inventory.PolicyInfo;
import org.vireo.api.memory.MemoryAction;
import org.vireo.api.memory.MemoryReuseStrategy;
import org.vireo.api.memory.MemorySnapshot;
import org.vireo.api.memory.MemoryTechnique;
import org.vireo.api.memory.ReclaimRequest;
import org.vireo.api.model.HostSpec;
import org.vireo.api.model.HypervisorKind;
import org.vireo.api.model.VmSpec;
import org.vireo.api.model.VmState;
import org.vireo.api.model.WorkloadSpec;

/**
 * The simulated hypervisor in the runtime, driven through core's services with its clock in
 * batch pacing: fault isolation (a crash takes down exactly one VM) and the bare-metal type's
 * privileged domain, which runs before any guest and whose reservations guests never get.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SimHypervisorIT extends SimTestSupport {
    /** Steady CPU-bound guests: each gets all its vCPUs (less the type's overhead) every interval on an uncontended host. */
    private static final WorkloadSpec BATCH = WorkloadSpec.parse("batch");

    /**
     * On an uncontended host the neighbours of a crashed VM are entitled to exactly what they
     * were before, so their CPU progress over equal simulated spans must be exactly the same
     * before and after the crash.
     */
    @Test
    public void aCrashTakesDownExactlyOneVmAndItsNeighboursProgressIsUnchanged() {
        hosts.addHost(HostSpec.of("iso", 16, 2400, 32 * 1024, HypervisorKind.HYBRID));
        vms.create(VmSpec.of("iso-a", 2, 2048).withWorkload(BATCH), "iso");
        vms.create(VmSpec.of("iso-b", 4, 4096).withWorkload(WorkloadSpec.parse("custom:cpu=60,peak=60,ws=1024,dirty=20")), "iso");
        vms.create(VmSpec.of("iso-victim", 4, 4096).withWorkload(BATCH), "iso");
        for (String vm : List.of("iso-a", "iso-b", "iso-victim")) {
            vms.start(vm);
        }
        await("the three VMs run", () -> List.of("iso-a", "iso-b", "iso-victim").stream()
                .allMatch(n -> vms.vm(n).state() == VmState.RUNNING));
        run("10s");
        double a0 = work("iso-a");
        double b0 = work("iso-b");
        run("30s");
        double a1 = work("iso-a");
        double b1 = work("iso-b");
        TypeProfile profile = hosts.host("iso").profile();
        assertEquals("a CPU-bound VM on an uncontended host gets its vCPUs less the overhead",
                2 * 2400 * (1 - profile.cpuOverheadPercent() / 100) * 30, a1 - a0, 1e-6);

        assertEquals(VmState.CRASHED, vms.crash("iso-victim").state());

        run("30s");
        assertEquals(VmState.CRASHED, vms.vm("iso-victim").state());
        assertNotNull(hosts.host("iso").live());
        assertFalse("a crashed VM holds nothing on its host", hosts.host("iso").live().vm("iso-victim").isPresent());
        assertEquals("iso-a's progress is unchanged", a1 - a0, work("iso-a") - a1, 1e-6);
        assertEquals("iso-b's progress is unchanged", b1 - b0, work("iso-b") - b1, 1e-6);
        HypervisorEvent crashed = sim().events("iso", 0).stream()
                .filter(e -> "iso-victim".equals(e.vm()) && e.state() == VmState.CRASHED).findFirst().orElseThrow();
        assertTrue(crashed.message(), crashed.message().contains("fault injected"));
        // the crash released the victim's pages only: the neighbours' pages are all accounted for
        assertEquals(2, pages("iso").get("vms").size());
    }

    /**
     * A bare-metal host's privileged domain runs from the moment the host is attached, before
     * any guest; the CPU it reserves is missing from what the CPU QoS policy divides among the
     * guests, and the memory it reserves from what the memory policies see as free.
     */
    @Test
    public void aBareMetalHostRunsDom0BeforeAnyDomUWithItsReservationsSubtracted() {
        Recorder recorder = new Recorder();
        PolicyInfo previous = policies.list().stream().filter(p -> p.family() == PolicyFamily.CPU && p.active()).findFirst()
                .orElseThrow();
        CpuQosPolicy delegate = policies.active(CpuQosPolicy.class).orElseThrow();
        recorder.cpuDelegate = delegate;
        register(CpuQosPolicy.class, recorder, "itest-recorder", -1000);
        register(MemoryReuseStrategy.class, recorder, "itest-recorder", 0);
        await("the recorder is installed", () -> policies.named(CpuQosPolicy.class, "itest-recorder").isPresent()
                && policies.all(MemoryReuseStrategy.class).contains(recorder));
        policies.use(PolicyFamily.CPU, "itest-recorder");
        try {
            HostSpec spec = HostSpec.of("xen", 8, 2000, 16 * 1024, HypervisorKind.BAREMETAL);
            hosts.addHost(spec);
            HostSnapshot attached = hosts.host("xen").live();
            TypeProfile profile = hosts.host("xen").profile();
            assertEquals("Dom0", profile.privilegedDomain());
            assertTrue(profile.reservedCpuMhz() > 0 && profile.reservedMemoryMiB() > 0);
            assertEquals("Dom0 runs as soon as the host is attached, alone", List.of("Dom0"),
                    attached.vms().stream().map(VmSnapshot::name).toList());
            assertEquals(VmState.RUNNING, attached.vms().get(0).state());

            vms.create(VmSpec.of("domu-1", 4, 2048).withWorkload(BATCH), "xen");
            vms.create(VmSpec.of("domu-2", 8, 2048).withWorkload(BATCH), "xen");
            vms.start("domu-1");
            vms.start("domu-2");
            run("5s");

            List<HypervisorEvent> events = sim().events("xen", 0);
            assertEquals("Dom0", events.get(0).vm());
            assertEquals(VmState.RUNNING, events.get(0).state());
            int firstDomU = indexOf(events, "domu-1");
            assertTrue("Dom0 is up before any DomU: " + events, firstDomU > 0);
            assertEquals("Dom0 first in every snapshot", "Dom0", hosts.host("xen").live().vms().get(0).name());

            double guestCapacity = (spec.capacityMhz() - profile.reservedCpuMhz()) * (1 - profile.cpuOverheadPercent() / 100);
            CpuSnapshot cpu = recorder.cpu.get("xen");
            assertNotNull("the CPU policy was asked for the bare-metal host", cpu);
            assertEquals("the policy divides the capacity less Dom0's reservation and the overhead", guestCapacity,
                    cpu.capacityMhz(), 1e-6);
            HostSnapshot live = hosts.host("xen").live();
            double used = live.vm("domu-1").orElseThrow().cpu().usedMhz() + live.vm("domu-2").orElseThrow().cpu().usedMhz();
            assertEquals("12 vCPUs wanting all their cores share what Dom0 leaves", guestCapacity, used, 1e-6);
            assertEquals("Dom0 is entitled to its reservation", profile.reservedCpuMhz(),
                    live.vm("Dom0").orElseThrow().cpu().entitledMhz(), 1e-6);

            MemorySnapshot memory = recorder.memory.get("xen");
            assertNotNull("the memory strategies were given the bare-metal host", memory);
            assertEquals((spec.memoryMiB()) * MIB, memory.totalPages());
            assertEquals("Dom0's memory and each DomU's overhead are the hypervisor's",
                    (profile.reservedMemoryMiB() + 2 * profile.perVmMemoryOverheadMiB()) * MIB, memory.hypervisorPages());
            long privatePages = memory.vms().stream().mapToLong(v -> v.residentPages() - v.sharedPages()).sum();
            long resident = memory.vms().stream().mapToLong(v -> v.residentPages()).sum();
            long available = memory.totalPages() - memory.hypervisorPages();
            assertTrue("free memory excludes Dom0's: " + memory, memory.freePages() <= available - privatePages
                    && memory.freePages() >= available - resident);
            assertFalse("Dom0 is not a guest the memory policies may reclaim from",
                    memory.vms().stream().anyMatch(v -> v.vm().equals("Dom0")));
        } finally {
            policies.use(PolicyFamily.CPU, previous.name());
        }
    }

    private static int indexOf(List<HypervisorEvent> events, String vm) {
        for (int i = 0; i < events.size(); i++) {
            if (vm.equals(events.get(i).vm())) {
                return i;
            }
        }
        return -1;
    }

    private Hypervisor sim() {
        return policies.named(Hypervisor.class, "sim").orElseThrow();
    }

    /**
     * Records what the hypervisor hands the policies per host: as the CPU policy it delegates
     * the decision to the policy that was active; as a memory strategy (of a technique no other
     * strategy claims) it does nothing.
     */
    private static final class Recorder implements CpuQosPolicy, MemoryReuseStrategy {
        final Map<String, CpuSnapshot> cpu = new ConcurrentHashMap<>();
        final Map<String, MemorySnapshot> memory = new ConcurrentHashMap<>();
        volatile CpuQosPolicy cpuDelegate;

        @Override
        public CpuAllocation allocate(CpuSnapshot host) {
            cpu.put(host.host(), host);
            return cpuDelegate.allocate(host);
        }

        @Override
        public Admission admit(CpuSnapshot host, VmSpec candidate) {
            return cpuDelegate.admit(host, candidate);
        }

        @Override
        public MemoryTechnique technique() {
            return MemoryTechnique.COMPRESSION;
        }

        @Override
        public List<MemoryAction> actions(MemorySnapshot host, List<ReclaimRequest> requests) {
            memory.put(host.host(), host);
            return List.of();
        }
    }
}
