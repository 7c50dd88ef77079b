package org.vireo.hypervisor.sim.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.vireo.api.cpu.Admission;
import org.vireo.api.cpu.CpuAllocation;
import org.vireo.api.cpu.CpuDemand;
import org.vireo.api.cpu.CpuEntitlement;
import org.vireo.api.cpu.CpuQosPolicy;
import org.vireo.api.cpu.CpuSnapshot;
import org.vireo.api.hypervisor.HostSnapshot;
import org.vireo.api.hypervisor.HypervisorEvent;
import org.vireo.api.hypervisor.HypervisorException;
import org.vireo.api.hypervisor.TypeProfile;
import org.vireo.api.hypervisor.VmSnapshot;
import org.vireo.api.model.HostSpec;
import org.vireo.api.model.HypervisorKind;
import org.vireo.api.model.VmSpec;
import org.vireo.api.model.VmState;

class SimEngineTest {

    private static SimEngine engine(long seed, PolicySource policies) {
        return new SimEngine(seed, 1000, policies, 1);
    }

    private static SimEngine mixedHosts(long seed, int threads) {
        SimEngine e = new SimEngine(seed, 1000, PolicySource.NONE, threads);
        for (int h = 0; h < 20; h++) {
            e.attach(Fixtures.host("h" + h, 4, 2000, 16384), Fixtures.BARE);
            String[] kinds = {"web", "db", "batch", "desktop", "idle", "custom:cpu=40,peak=90,ws=64,dirty=3,zero=0.5,image=0.3"};
            for (int v = 0; v < 6; v++) {
                e.start("h" + h, Fixtures.vm("vm" + h + "-" + v, 2, 512, kinds[v]));
            }
        }
        return e;
    }

    private static String figures(SimEngine e) {
        return e.snapshots().stream().flatMap(h -> h.vms().stream())
                .map(v -> v.name() + " " + v.cpu() + " " + v.memory() + " " + v.io())
                .collect(Collectors.joining("\n"));
    }

    @Test
    void sameSeedGivesTheSameFiguresWhateverTheThreadCount() {
        SimEngine a = mixedHosts(42, 1);
        SimEngine b = mixedHosts(42, 3);
        a.advance(120_000);
        for (int i = 0; i < 12; i++) {
            b.advance(10_000);
        }
        assertEquals(figures(a), figures(b));
        SimEngine c = mixedHosts(43, 1);
        c.advance(120_000);
        assertNotEquals(figures(a), figures(c));
        a.close();
        b.close();
        c.close();
    }

    @Test
    void withoutPolicyCapacityIsDividedEquallyAmongRunnableVcpus() {
        SimEngine e = engine(1, PolicySource.NONE);
        e.attach(Fixtures.host("h", 4, 1000, 8192), Fixtures.BARE);
        e.start("h", Fixtures.cpuBound("one", 1));
        e.start("h", Fixtures.cpuBound("three", 3));
        e.start("h", Fixtures.cpuBound("two", 2));
        e.advance(1000);
        HostSnapshot s = e.snapshot("h");
        // 4000 MHz among 6 vCPUs: 666.7 per vCPU
        assertEquals(4000.0 / 6, used(s, "one"), 1e-6);
        assertEquals(3 * 4000.0 / 6, used(s, "three"), 1e-6);
        assertEquals(2 * 4000.0 / 6, used(s, "two"), 1e-6);
        assertEquals(used(s, "one"), s.vm("one").orElseThrow().cpu().entitledMhz(), 1e-6);
    }

    @Test
    void equalShareIsWorkConservingAndCappedByDemandAndVcpus() {
        SimEngine e = engine(1, PolicySource.NONE);
        e.attach(Fixtures.host("h", 4, 1000, 8192), Fixtures.BARE);
        e.start("h", Fixtures.vm("light", 2, 256, "custom:cpu=10"));
        e.start("h", Fixtures.cpuBound("heavy", 2));
        e.start("h", Fixtures.cpuBound("single", 1));
        e.advance(1000);
        HostSnapshot s = e.snapshot("h");
        assertEquals(200, used(s, "light"), 1e-6);
        // 3800 left for heavy (2 vCPUs, wants 2000) and single (1 vCPU, capped at 1000)
        assertEquals(1000, used(s, "single"), 1e-6);
        assertEquals(2000, used(s, "heavy"), 1e-6);
        assertEquals(0, s.vm("heavy").orElseThrow().cpu().readyPercent(), 1e-9);
    }

    @Test
    void policyAllocationIsEnforcedForCpuBoundVms() {
        CpuQosPolicy fixed = new CpuQosPolicy() {
            @Override
            public CpuAllocation allocate(CpuSnapshot host) {
                List<CpuEntitlement> out = new ArrayList<>();
                for (CpuDemand d : host.vms()) {
                    double share = d.vm().equals("gold") ? 0.75 : 0.25;
                    out.add(new CpuEntitlement(d.vm(), host.capacityMhz() * share, Double.POSITIVE_INFINITY, 1000));
                }
                // reversed order: the engine must match by name
                java.util.Collections.reverse(out);
                return new CpuAllocation(out, List.of());
            }

            @Override
            public Admission admit(CpuSnapshot host, VmSpec candidate) {
                return Admission.granted();
            }
        };
        SimEngine e = engine(7, () -> Optional.of(fixed));
        e.attach(Fixtures.host("h", 4, 1000, 8192), Fixtures.BARE);
        e.start("h", Fixtures.cpuBound("gold", 4));
        e.start("h", Fixtures.cpuBound("bronze", 4));
        e.advance(10_000);
        HostSnapshot s = e.snapshot("h");
        VmSnapshot gold = s.vm("gold").orElseThrow();
        VmSnapshot bronze = s.vm("bronze").orElseThrow();
        assertEquals(3000, gold.cpu().entitledMhz(), 1e-6);
        assertEquals(gold.cpu().entitledMhz(), gold.cpu().usedMhz(), 0.02 * gold.cpu().entitledMhz());
        assertEquals(bronze.cpu().entitledMhz(), bronze.cpu().usedMhz(), 0.02 * bronze.cpu().entitledMhz());
        assertEquals(10 * 3000, gold.cpu().workMhzSeconds(), 0.02 * 10 * 3000);
        assertEquals(10 * 1000, bronze.cpu().workMhzSeconds(), 0.02 * 10 * 1000);
    }

    @Test
    void leftoverFromAPolicyThatLeavesCapacityIdleGoesToVmsThatWantMoreUnlessCapped() {
        CpuQosPolicy stingy = new CpuQosPolicy() {
            @Override
            public CpuAllocation allocate(CpuSnapshot host) {
                return new CpuAllocation(host.vms().stream().map(d -> new CpuEntitlement(d.vm(), 500,
                        d.vm().equals("capped") ? 800 : Double.POSITIVE_INFINITY, 1000)).toList(), List.of("test warning"));
            }

            @Override
            public Admission admit(CpuSnapshot host, VmSpec candidate) {
                return Admission.granted();
            }
        };
        SimEngine e = engine(7, () -> Optional.of(stingy));
        e.attach(Fixtures.host("h", 4, 1000, 8192), Fixtures.BARE);
        e.start("h", Fixtures.cpuBound("capped", 2));
        e.start("h", Fixtures.cpuBound("free", 4));
        e.advance(3000);
        HostSnapshot s = e.snapshot("h");
        assertEquals(800, used(s, "capped"), 1e-6);
        assertEquals(3200, used(s, "free"), 1e-6);
        long warnings = e.events("h", 0).stream().filter(ev -> ev.message().contains("test warning")).count();
        assertEquals(1, warnings, "a warning is posted once, not every interval");
    }

    @Test
    void pausedVmGetsNoCpuAndKeepsItsWork() {
        SimEngine e = engine(3, PolicySource.NONE);
        e.attach(Fixtures.host("h", 2, 1000, 4096), Fixtures.BARE);
        e.start("h", Fixtures.cpuBound("a", 1));
        e.advance(5000);
        double work = e.snapshot("h").vm("a").orElseThrow().cpu().workMhzSeconds();
        e.pause("h", "a");
        e.advance(5000);
        VmSnapshot a = e.snapshot("h").vm("a").orElseThrow();
        assertEquals(VmState.PAUSED, a.state());
        assertEquals(0, a.cpu().usedMhz());
        assertEquals(work, a.cpu().workMhzSeconds());
        assertTrue(a.memory().residentPages() > 0, "a paused VM keeps its memory");
        e.resume("h", "a");
        e.advance(1000);
        assertEquals(work + 1000, e.snapshot("h").vm("a").orElseThrow().cpu().workMhzSeconds(), 1e-6);
        assertThrows(HypervisorException.class, () -> e.resume("h", "a"));
    }

    @Test
    void crashTakesDownOneVmAndLeavesItsNeighboursProgressUnchanged() {
        SimEngine quiet = engine(11, PolicySource.NONE);
        SimEngine faulty = engine(11, PolicySource.NONE);
        for (SimEngine e : List.of(quiet, faulty)) {
            e.attach(Fixtures.host("h", 8, 2000, 16384), Fixtures.BARE);
            e.start("h", Fixtures.vm("web", 2, 1024, "web"));
            e.start("h", Fixtures.vm("victim", 2, 1024, "db"));
            e.start("h", Fixtures.vm("db", 2, 1024, "db"));
            e.advance(5000);
        }
        faulty.crash("h", "victim");
        quiet.advance(20_000);
        faulty.advance(20_000);
        HostSnapshot q = quiet.snapshot("h");
        HostSnapshot f = faulty.snapshot("h");
        assertFalse(f.vm("victim").isPresent(), "a crashed VM holds no resources");
        for (String n : List.of("web", "db")) {
            assertEquals(VmState.RUNNING, f.vm(n).orElseThrow().state());
            assertEquals(q.vm(n).orElseThrow().cpu().workMhzSeconds(), f.vm(n).orElseThrow().cpu().workMhzSeconds());
            assertEquals(q.vm(n).orElseThrow().memory(), f.vm(n).orElseThrow().memory());
        }
        HypervisorEvent crashed = faulty.events("h", 0).stream().filter(ev -> "victim".equals(ev.vm())
                && ev.state() == VmState.CRASHED).findFirst().orElseThrow();
        assertEquals(5000, crashed.clockMillis());
        assertThrows(HypervisorException.class, () -> faulty.pause("h", "victim"));
    }

    @Test
    void bareMetalHostRunsDom0FirstWithItsReservationsSubtracted() {
        TypeProfile xen = new TypeProfile(HypervisorKind.BAREMETAL, "test xen", 3, 1000, 1024, "Dom0", "netfront -> netback", 16,
                false);
        SimEngine e = engine(5, PolicySource.NONE);
        HostSnapshot attached = e.attach(HostSpec.of("x", 4, 1000, 8192, HypervisorKind.BAREMETAL), xen);
        assertEquals("Dom0", attached.vms().get(0).name());
        assertEquals(VmState.RUNNING, attached.vms().get(0).state());
        e.start("x", Fixtures.cpuBound("domu1", 4));
        e.start("x", Fixtures.cpuBound("domu2", 4));
        e.advance(2000);
        List<HypervisorEvent> events = e.events("x", 0);
        assertEquals("Dom0", events.get(0).vm());
        assertEquals(VmState.RUNNING, events.get(0).state());
        assertTrue(events.get(0).message().contains("Dom0 running"), events.get(0).message());
        assertEquals(1, events.get(0).sequence());
        assertTrue(events.stream().skip(1).anyMatch(ev -> "domu1".equals(ev.vm())));
        HostSnapshot s = e.snapshot("x");
        assertEquals("Dom0", s.vms().get(0).name());
        double guestCapacity = (4000 - 1000) * 0.97;
        assertEquals(guestCapacity, used(s, "domu1") + used(s, "domu2"), 1e-6);
        long perVm = 16 * 256;
        long expectedFree = 8192 * 256 - 1024 * 256 - 2 * perVm - 2 * 256 * 256;
        assertEquals(expectedFree, s.freePages());
        assertTrue(s.vms().get(0).cpu().usedMhz() > 0, "Dom0 works for the DomUs' I/O");
        assertThrows(HypervisorException.class, () -> e.start("x", Fixtures.vm("Dom0", 1, 256, "idle")));
    }

    @Test
    void overheadReducesWhatAVcpuDelivers() {
        TypeProfile hosted = new TypeProfile(HypervisorKind.HOSTED, "test hosted", 12, 0, 0, null, "emulated", 0, false);
        SimEngine e = engine(5, PolicySource.NONE);
        e.attach(Fixtures.host("h", 4, 1000, 8192), hosted);
        e.start("h", Fixtures.cpuBound("a", 1));
        e.advance(10_000);
        VmSnapshot a = e.snapshot("h").vm("a").orElseThrow();
        assertEquals(880, a.cpu().usedMhz(), 1e-6);
        assertEquals(8800, a.cpu().workMhzSeconds(), 1e-6);
    }

    @Test
    void eventsAreNumberedPerHostAndUnknownNamesAreExplained() {
        SimEngine e = engine(5, PolicySource.NONE);
        e.attach(Fixtures.host("h", 4, 1000, 8192), Fixtures.BARE);
        e.start("h", Fixtures.vm("a", 1, 256, "idle"));
        e.stop("h", "a", false);
        List<HypervisorEvent> all = e.events("h", 0);
        assertEquals(List.of(1L, 2L), all.stream().map(HypervisorEvent::sequence).toList());
        assertEquals(VmState.STOPPED, all.get(1).state());
        assertEquals(1, e.events("h", 1).size());
        HypervisorException ex = assertThrows(HypervisorException.class, () -> e.snapshot("nope"));
        assertTrue(ex.getMessage().contains("nope") && ex.getMessage().contains("h"), ex.getMessage());
        HypervisorException vm = assertThrows(HypervisorException.class, () -> e.pause("h", "ghost"));
        assertTrue(vm.getMessage().contains("ghost") && vm.getMessage().contains("host h"), vm.getMessage());
    }

    private static double used(HostSnapshot s, String vm) {
        return s.vm(vm).orElseThrow().cpu().usedMhz();
    }
}
