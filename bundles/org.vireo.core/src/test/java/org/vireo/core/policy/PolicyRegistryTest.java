package org.vireo.core.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.vireo.api.cpu.Admission;
import org.vireo.api.cpu.CpuAllocation;
import org.vireo.api.cpu.CpuQosPolicy;
import org.vireo.api.cpu.CpuSnapshot;
import org.vireo.api.hypervisor.Hypervisor;
import org.vireo.api.inventory.PolicyFamily;
import org.vireo.api.inventory.PolicyInfo;
import org.vireo.api.model.InvalidSpecException;
import org.vireo.api.model.VmSpec;

class PolicyRegistryTest {
    /** A CPU policy that only has a name. */
    record Cpu(String name) implements CpuQosPolicy {
        @Override
        public CpuAllocation allocate(CpuSnapshot host) {
            return new CpuAllocation(List.of(), List.of());
        }

        @Override
        public Admission admit(CpuSnapshot host, VmSpec candidate) {
            return Admission.granted();
        }
    }

    private static PolicyRegistry.Implementation cpu(String name, int ranking, long id) {
        return new PolicyRegistry.Implementation(PolicyFamily.CPU, name, ranking, id, "org.vireo.cpu." + name, new Cpu(name));
    }

    private static String active(PolicyRegistry registry) {
        return registry.active(CpuQosPolicy.class).map(p -> ((Cpu) p).name()).orElse(null);
    }

    @Test
    void nothingInstalledMeansNothingActive() {
        PolicyRegistry registry = new PolicyRegistry();
        assertEquals(Optional.empty(), registry.active(CpuQosPolicy.class));
        assertEquals(List.of(), registry.all(CpuQosPolicy.class));
        assertEquals(List.of(), registry.list());
    }

    @Test
    void withoutConfigurationTheHighestRankingWinsAndTiesGoToTheLowestServiceId() {
        PolicyRegistry registry = new PolicyRegistry();
        registry.add(cpu("fair", 0, 12));
        registry.add(cpu("credit", 0, 11));
        assertEquals("credit", active(registry));
        List<PolicyRegistry.Change> changes = registry.add(cpu("reservation", 5, 13));
        assertEquals("reservation", active(registry));
        assertEquals("selected", changes.get(0).type());
        assertEquals(List.of("reservation", "credit", "fair"), registry.all(CpuQosPolicy.class).stream().map(p -> ((Cpu) p).name()).toList());
    }

    @Test
    void configuredFallsBackWhenUninstalledAndReturnsWhenInstalledAgain() {
        PolicyRegistry registry = new PolicyRegistry();
        registry.configure(Map.of(PolicyFamily.CPU, "credit"), "configuration");
        registry.add(cpu("reservation", 10, 1));
        assertEquals("reservation", active(registry));
        assertEquals("fallback: configured 'credit' is absent", registry.list().get(0).detail());

        List<PolicyRegistry.Change> returned = registry.add(cpu("credit", 0, 2));
        assertEquals("credit", active(registry));
        assertEquals(new PolicyRegistry.Change(PolicyFamily.CPU, "returned", "reservation", "credit",
                "cpu: configured credit is installed and active again (was reservation)"), returned.get(0));

        List<PolicyRegistry.Change> fell = registry.remove(PolicyFamily.CPU, 2);
        assertEquals("reservation", active(registry));
        assertEquals("fell-back", fell.get(0).type());
        assertEquals("cpu: credit was uninstalled; reservation is active (fallback: configured 'credit' is absent)", fell.get(0).message());

        List<PolicyRegistry.Change> back = registry.add(cpu("credit", 0, 3));
        assertEquals("returned", back.get(0).type());
        assertEquals("credit", active(registry));

        registry.remove(PolicyFamily.CPU, 1);
        List<PolicyRegistry.Change> none = registry.remove(PolicyFamily.CPU, 3);
        assertEquals("none", none.get(0).type());
        assertEquals(Optional.empty(), registry.active(CpuQosPolicy.class));
    }

    @Test
    void configuringSwapsAtOnceAndIsIdempotent() {
        PolicyRegistry registry = new PolicyRegistry();
        registry.add(cpu("reservation", 0, 1));
        registry.add(cpu("credit", 0, 2));
        List<PolicyRegistry.Change> swapped = registry.configure(PolicyFamily.CPU, "credit", "policy:use");
        assertEquals("credit", active(registry));
        assertEquals("swapped", swapped.get(0).type());
        assertEquals("cpu: credit is active (was reservation), set by policy:use", swapped.get(0).message());
        assertEquals(List.of(), registry.configure(PolicyFamily.CPU, "credit", "configuration"));
        assertEquals(List.of(), registry.configure(Map.of(PolicyFamily.CPU, "credit"), "configuration"));
        assertEquals(Optional.of("credit"), registry.configured(PolicyFamily.CPU));
    }

    @Test
    void listDescribesActiveStandbyAndMultiFamilies() {
        PolicyRegistry registry = new PolicyRegistry();
        registry.configure(PolicyFamily.CPU, "credit", "configuration");
        registry.add(cpu("reservation", 0, 1));
        registry.add(cpu("credit", 0, 2));
        Hypervisor sim = (Hypervisor) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Hypervisor.class}, (p, m, a) -> null);
        registry.add(new PolicyRegistry.Implementation(PolicyFamily.HYPERVISOR, "sim", 0, 3, "org.vireo.hypervisor.sim", sim));
        assertEquals(List.of(
                new PolicyInfo(PolicyFamily.CPU, "reservation", 0, false, "org.vireo.cpu.reservation", "standby"),
                new PolicyInfo(PolicyFamily.CPU, "credit", 0, true, "org.vireo.cpu.credit", "configured"),
                new PolicyInfo(PolicyFamily.HYPERVISOR, "sim", 0, true, "org.vireo.hypervisor.sim", "in use")), registry.list());
        assertSame(sim, registry.named(Hypervisor.class, "sim").orElseThrow());
        assertEquals(Optional.empty(), registry.named(Hypervisor.class, "qemu"));
        assertEquals("reservation", ((Cpu) registry.named(CpuQosPolicy.class, "reservation").orElseThrow()).name());
    }

    @Test
    void activeRefusesMultiFamiliesAndNonSpiClasses() {
        PolicyRegistry registry = new PolicyRegistry();
        InvalidSpecException multi = assertThrows(InvalidSpecException.class, () -> registry.active(Hypervisor.class));
        assertTrue(multi.getMessage().contains("single-active family"), multi.getMessage());
        InvalidSpecException other = assertThrows(InvalidSpecException.class, () -> registry.all(String.class));
        assertTrue(other.getMessage().contains("CpuQosPolicy"), other.getMessage());
    }

    @Test
    void readersSeeAConsistentSnapshotWhileWritersChangeIt() throws InterruptedException {
        PolicyRegistry registry = new PolicyRegistry();
        registry.add(cpu("reservation", 0, 1));
        Thread writer = new Thread(() -> {
            for (int i = 0; i < 2_000; i++) {
                registry.add(cpu("credit", 0, 2));
                registry.remove(PolicyFamily.CPU, 2);
            }
        });
        writer.start();
        boolean alwaysOne = true;
        while (writer.isAlive()) {
            alwaysOne &= registry.active(CpuQosPolicy.class).isPresent();
        }
        writer.join();
        assertTrue(alwaysOne, "the fallback is active at every instant");
        assertFalse(registry.installed(PolicyFamily.CPU).isEmpty());
    }
}
