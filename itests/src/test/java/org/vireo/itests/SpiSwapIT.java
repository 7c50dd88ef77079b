package org.vireo.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceRegistration;
import org.vireo.api.cpu.CpuQosPolicy;
import org.vireo.api.hypervisor.Hypervisor;
import org.vireo.api.hypervisor.HypervisorType;
import org.vireo.api.inventory.ConflictException;
import org.vireo.api.inventory.EventService;
import org.vireo.api.inventory.HostAdminService;
import org.vireo.api.inventory.PolicyFamily;
import org.vireo.api.inventory.PolicyInfo;
import org.vireo.api.inventory.PolicyService;
import org.vireo.api.inventory.VmAdminService;
import org.vireo.api.inventory.VireoEvent;
import org.vireo.api.inventory.VmView;
import org.vireo.api.io.DeviceKind;
import org.vireo.api.io.IoBackend;
import org.vireo.api.memory.MemoryReclaimPolicy;
import org.vireo.api.memory.MemoryReuseStrategy;
import org.vireo.api.memory.MemoryTechnique;
import org.vireo.api.migration.MigrationStrategy;
import org.vireo.api.model.HostSpec;
import org.vireo.api.model.HypervisorKind;
import org.vireo.api.model.VmSpec;
import org.vireo.api.model.VmState;
import org.vireo.api.model.WorkloadSpec;
import org.vireo.itests.doubles.AcceptingIoBackend;
import org.vireo.itests.doubles.CountingCpuPolicy;
import org.vireo.itests.doubles.FixedHypervisorType;
import org.vireo.itests.doubles.FixedMigrationStrategy;
import org.vireo.itests.doubles.IdleReclaimPolicy;
import org.vireo.itests.doubles.IdleReuseStrategy;
import org.vireo.itests.doubles.InMemoryHypervisor;

/**
 * For every SPI family, an implementation registered by the test replaces the installed one
 * while a VM runs, the family falls back when it leaves and takes it back when it returns, and
 * the VM keeps its definition and its state throughout. Single-active families (cpu, memory,
 * migration) swap by name ({@code PolicyService.use}); the others, where every implementation is
 * in use, swap by {@code service.ranking} among implementations of the same {@code vireo.name}.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SpiSwapIT extends VireoTestSupport {
    private static final String STEADY = "steady";

    private HostAdminService hosts;
    private VmAdminService vms;
    private PolicyService policies;

    /** A host on the simulated hypervisor with one busy VM running, shared by the tests of the class. */
    @Before
    public void steadyVmRuns() {
        hosts = service(HostAdminService.class);
        vms = service(VmAdminService.class);
        policies = service(PolicyService.class);
        await("the sim hypervisor and the hybrid type", () -> policies.named(Hypervisor.class, "sim").isPresent()
                && policies.named(HypervisorType.class, "hybrid").isPresent());
        if (hosts.findHost("swap-sim").isEmpty()) {
            hosts.addHost(HostSpec.of("swap-sim", 16, 2400, 64 * 1024, HypervisorKind.HYBRID));
            vms.create(VmSpec.of(STEADY, 2, 2048).withWorkload(WorkloadSpec.parse("batch")), "swap-sim");
        }
        if (!vms.vm(STEADY).state().isActive()) {
            vms.start(STEADY);
        }
        await(STEADY + " running", () -> vms.vm(STEADY).state(), s -> s == VmState.RUNNING);
    }

    @Test
    public void cpuPolicySwapsByNameFallsBackAndReturns() {
        CountingCpuPolicy itest = new CountingCpuPolicy(123);
        swapSingleActive(PolicyFamily.CPU, CpuQosPolicy.class, itest, new CountingCpuPolicy(50), () -> {
            await("the hypervisor asks the new CPU policy", () -> itest.allocations() > 0);
            await("the VM gets what the new policy entitles it to", () -> entitledMhz(), e -> e > 0 && e <= 123.001);
        }, () -> await("the VM gets what the fallback policy entitles it to", () -> entitledMhz(), e -> e > 123.001));
    }

    @Test
    public void memoryPolicySwapsByNameFallsBackAndReturns() {
        swapSingleActive(PolicyFamily.MEMORY, MemoryReclaimPolicy.class, new IdleReclaimPolicy(),
                new IdleReclaimPolicy(), () -> { }, () -> { });
    }

    @Test
    public void migrationStrategySwapsByNameFallsBackAndReturns() {
        swapSingleActive(PolicyFamily.MIGRATION, MigrationStrategy.class, new FixedMigrationStrategy(),
                new FixedMigrationStrategy(), () -> { }, () -> { });
    }

    @Test
    public void memoryStrategySwapsByRankingFallsBackAndReturns() {
        swapByRanking(PolicyFamily.MEMORY_STRATEGY, MemoryReuseStrategy.class, "sharing",
                new IdleReuseStrategy(MemoryTechnique.SHARING), () -> { });
    }

    @Test
    public void ioBackendSwapsByRankingFallsBackAndReturns() {
        ServiceRegistration<IoBackend> base = register(IoBackend.class, new AcceptingIoBackend(DeviceKind.BLOCK), "itest-io", 0);
        await("the base backend is listed", () -> policies.named(IoBackend.class, "itest-io").isPresent());
        swapByRanking(PolicyFamily.IO, IoBackend.class, "itest-io", new AcceptingIoBackend(DeviceKind.BLOCK), () -> { });
        base.unregister();
    }

    @Test
    public void hypervisorHandsItsHostsToAnotherOfTheSameNameAndBack() {
        InMemoryHypervisor.Machines machines = new InMemoryHypervisor.Machines();
        InMemoryHypervisor first = new InMemoryHypervisor("first", machines);
        InMemoryHypervisor second = new InMemoryHypervisor("second", machines);
        ServiceRegistration<Hypervisor> firstRegistration = register(Hypervisor.class, first, "itest-hv", 10);
        ServiceRegistration<Hypervisor> secondRegistration = register(Hypervisor.class, second, "itest-hv", 0);
        await("both hypervisors are listed", () -> count(PolicyFamily.HYPERVISOR, "itest-hv") == 2);
        hosts.addHost(HostSpec.of("swap-hv", 8, 2400, 32 * 1024, HypervisorKind.HYBRID).withHypervisor("itest-hv"));
        vms.create(VmSpec.of("hv-vm", 2, 1024), "swap-hv");
        vms.start("hv-vm");
        VmSpec spec = vms.vm("hv-vm").spec();
        assertEquals("the higher-ranked hypervisor drives the host", "first", hosts.host("swap-hv").live().detail());

        firstRegistration.unregister();

        awaitDrivenBy("swap-hv", "second");
        await("hv-vm runs on under the fallback hypervisor", () -> vms.vm("hv-vm").state(), s -> s == VmState.RUNNING);
        assertTrue("the fallback attached the host", second.attaches() > 0);
        assertEquals(spec, vms.vm("hv-vm").spec());

        InMemoryHypervisor returned = new InMemoryHypervisor("returned", machines);
        register(Hypervisor.class, returned, "itest-hv", 10);
        await("the returning hypervisor is listed", () -> count(PolicyFamily.HYPERVISOR, "itest-hv") == 2);
        secondRegistration.unregister();

        awaitDrivenBy("swap-hv", "returned");
        await("hv-vm runs on under the returned hypervisor", () -> vms.vm("hv-vm").state(), s -> s == VmState.RUNNING);
        assertEquals(spec, vms.vm("hv-vm").spec());
        assertEquals(VmState.RUNNING, vms.vm(STEADY).state());
    }

    /**
     * A host is driven with its type's profile; when the type leaves, its VMs are stopped (the
     * hypervisor needs the profile to run them) and the host is re-attached under the next type
     * of that name. The VM's definition survives, and it starts again under the new type.
     */
    @Test
    public void hypervisorTypeIsReplacedByAnotherOfTheSameNameAndBack() throws Exception {
        register(Hypervisor.class, new InMemoryHypervisor("types", new InMemoryHypervisor.Machines()), "itest-types", 0);
        await("the test hypervisor is listed", () -> policies.named(Hypervisor.class, "itest-types").isPresent());
        hosts.addHost(HostSpec.of("swap-ty", 8, 2400, 32 * 1024, HypervisorKind.HOSTED).withHypervisor("itest-types"));
        vms.create(VmSpec.of("ty-vm", 1, 1024), "swap-ty");
        vms.start("ty-vm");
        VmSpec spec = vms.vm("ty-vm").spec();
        String bundled = hosts.host("swap-ty").profile().description();
        FixedHypervisorType mine = new FixedHypervisorType(HypervisorKind.HOSTED, "itest hosted type");
        ServiceRegistration<HypervisorType> registration = register(HypervisorType.class, mine, "hosted", 100);
        await("the test type serves the name", () -> policies.named(HypervisorType.class, "hosted"), t -> t.orElse(null) == mine);

        Bundle hostedBundle = bundle("org.vireo.hypervisor.type.hosted");
        hostedBundle.stop();
        try {
            await("swap-ty profiled by the test type", () -> hosts.host("swap-ty").profile(),
                    p -> p != null && p.description().equals("itest hosted type"));
            assertEquals(spec, vms.vm("ty-vm").spec());
            assertFalse("stopped with the departed type", vms.vm("ty-vm").state().isActive());
            vms.start("ty-vm");
            await("ty-vm runs under the test type", () -> vms.vm("ty-vm").state(), s -> s == VmState.RUNNING);
        } finally {
            hostedBundle.start();
        }
        await("the bundled type is back", () -> count(PolicyFamily.HYPERVISOR_TYPE, "hosted") == 2);

        registration.unregister();

        await("swap-ty profiled by the bundled type again", () -> hosts.host("swap-ty").profile(),
                p -> p != null && p.description().equals(bundled));
        assertEquals(spec, vms.vm("ty-vm").spec());
        vms.start("ty-vm");
        await("ty-vm runs under the bundled type", () -> vms.vm("ty-vm").state(), s -> s == VmState.RUNNING);
        assertEquals(VmState.RUNNING, vms.vm(STEADY).state());
    }

    /**
     * Chooses {@code chosen} by name, removes it (the family falls back to the highest-ranked
     * remaining implementation), registers it again (it returns, as the configured name), and
     * checks at every step that the steady VM runs on with its definition.
     */
    private <T> void swapSingleActive(PolicyFamily family, Class<T> spi, T chosen, T spare, Runnable whileChosen,
            Runnable whileFallenBack) {
        String name = "itest-" + family.id();
        // ranked below every other, so that only the choice by name makes it active
        register(spi, spare, name + "-spare", -1000);
        ServiceRegistration<T> registration = register(spi, chosen, name, -2000);
        await(name + " is listed", () -> policies.named(spi, name).isPresent());
        VmView before = vms.vm(STEADY);
        long events = lastEvent();

        PolicyInfo used = policies.use(family, name);

        assertTrue(used.active());
        assertSame(chosen, policies.active(spi).orElseThrow());
        assertEquals(Optional.of(name), policies.configured(family));
        assertTrue("a swap event: " + service(EventService.class).recent(5), hasEvent(events, family, "swapped"));
        whileChosen.run();
        double work = assertSteady(before, 0);

        registration.unregister();

        await(family.id() + " falls back", () -> policies.active(spi), a -> a.isPresent() && a.get() != chosen);
        PolicyInfo fallback = active(family);
        assertTrue(fallback.detail(), fallback.detail().startsWith("fallback"));
        assertEquals("the configured name is kept", Optional.of(name), policies.configured(family));
        assertTrue(hasEvent(events, family, "fell-back"));
        whileFallenBack.run();
        work = assertSteady(before, work);

        register(spi, chosen, name, -2000);

        await(name + " returns", () -> policies.active(spi), a -> a.orElse(null) == chosen);
        assertTrue(hasEvent(events, family, "returned"));
        whileChosen.run();
        assertSteady(before, work);
    }

    /**
     * Registers {@code mine} under {@code name} above every other implementation of that name,
     * removes it (the next of the name serves) and registers it again (it serves again).
     */
    private <T> void swapByRanking(PolicyFamily family, Class<T> spi, String name, T mine, Runnable whileMine) {
        VmView before = vms.vm(STEADY);
        Optional<T> bundled = policies.named(spi, name);
        ServiceRegistration<T> registration = register(spi, mine, name, 1000);
        await(name + " served by the test's implementation", () -> policies.named(spi, name), n -> n.orElse(null) == mine);
        assertTrue(policies.all(spi).contains(mine));
        assertTrue("every implementation is in use", policies.list().stream().filter(p -> p.family() == family)
                .allMatch(PolicyInfo::active));
        assertThrows(ConflictException.class, () -> policies.use(family, name));
        whileMine.run();
        double work = assertSteady(before, 0);

        registration.unregister();

        await(name + " served by the next of its name", () -> policies.named(spi, name),
                n -> n.isPresent() && n.get() != mine);
        assertSame(bundled.orElseThrow(), policies.named(spi, name).orElseThrow());
        work = assertSteady(before, work);

        register(spi, mine, name, 1000);

        await(name + " served by the test's implementation again", () -> policies.named(spi, name), n -> n.orElse(null) == mine);
        whileMine.run();
        assertSteady(before, work);
    }

    /** @return the VM's cumulative CPU work, after checking it runs with its definition and its work did not restart */
    private double assertSteady(VmView before, double workBefore) {
        VmView now = vms.vm(STEADY);
        assertEquals(VmState.RUNNING, now.state());
        assertEquals(before.spec(), now.spec());
        assertEquals(before.host(), now.host());
        double work = now.live() == null ? 0 : now.live().cpu().workMhzSeconds();
        assertTrue("cumulative CPU work " + work + " kept (was " + workBefore + ")", work >= workBefore);
        return work;
    }

    private double entitledMhz() {
        VmView vm = vms.vm(STEADY);
        return vm.live() == null ? -1 : vm.live().cpu().entitledMhz();
    }

    private PolicyInfo active(PolicyFamily family) {
        return policies.list().stream().filter(p -> p.family() == family && p.active()).findFirst().orElseThrow();
    }

    private long count(PolicyFamily family, String name) {
        return policies.list().stream().filter(p -> p.family() == family && p.name().equals(name)).count();
    }

    private long lastEvent() {
        List<VireoEvent> recent = service(EventService.class).recent(1);
        return recent.isEmpty() ? 0 : recent.get(0).sequence();
    }

    private boolean hasEvent(long after, PolicyFamily family, String type) {
        return service(EventService.class).since(after).stream()
                .anyMatch(e -> e.subject().equals(family.id()) && e.type().equals(type));
    }

    private void awaitDrivenBy(String host, String label) {
        await(host + " driven by hypervisor " + label, () -> hosts.host(host).live(),
                live -> live != null && label.equals(live.detail()));
    }

    private Bundle bundle(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError(symbolicName + " is not installed: " + bundleStates());
    }
}
