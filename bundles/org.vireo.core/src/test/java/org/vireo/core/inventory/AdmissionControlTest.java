package org.vireo.core.inventory;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vireo.api.cpu.Admission;
import org.vireo.api.cpu.CpuAllocation;
import org.vireo.api.cpu.CpuQosPolicy;
import org.vireo.api.cpu.CpuSnapshot;
import org.vireo.api.hypervisor.TypeProfile;
import org.vireo.api.inventory.AdmissionException;
import org.vireo.api.model.CpuQos;
import org.vireo.api.model.HostSpec;
import org.vireo.api.model.HypervisorKind;
import org.vireo.api.model.MemoryQos;
import org.vireo.api.model.VmSpec;

class AdmissionControlTest {
    /** 4 cores x 2500 MHz = 10,000 MHz; 8,192 MiB. */
    private static final HostSpec HOST = HostSpec.of("h1", 4, 2500, 8192, HypervisorKind.HYBRID);
    /** Reserves 1,000 MHz and 512 MiB; 10 % overhead: 9,000 x 0.9 = 8,100 MHz and 7,680 MiB for guests. */
    private static final TypeProfile PROFILE = new FakeType(HypervisorKind.HYBRID, 1000, 512, 10).profile(HOST);
    private static final OvercommitRatio GLOBAL = OvercommitRatio.global(1.5);

    private static VmSpec vm(String name, long memoryMiB, long cpuReservation, long memoryReservation) {
        return VmSpec.of(name, 2, memoryMiB).withCpu(CpuQos.DEFAULT.withReservationMhz(cpuReservation))
                .withMemory(MemoryQos.DEFAULT.withReservationMiB(memoryReservation));
    }

    @Test
    void capacityIsCoresTimesMhzLessReservationLessOverhead() {
        assertEquals(8100.0, AdmissionControl.cpuCapacity(HOST, PROFILE), 1e-9);
        assertEquals(7680, AdmissionControl.usableMemory(HOST, PROFILE));
        CpuSnapshot snapshot = AdmissionControl.cpuSnapshot(HOST, PROFILE, List.of(vm("a", 512, 100, 0)), Map.of("a", 42.0));
        assertEquals(8100.0, snapshot.capacityMhz(), 1e-9);
        assertEquals(2500.0, snapshot.coreMhz(), 1e-9);
        assertEquals(42.0, snapshot.vms().get(0).demandMhz(), 1e-9);
        assertEquals(2, snapshot.vms().get(0).vcpus());
    }

    @Test
    void withoutPolicyReservationsMustFitTheCapacity() {
        List<VmSpec> holding = List.of(vm("a", 512, 5000, 0), vm("b", 512, 3000, 0));
        CpuSnapshot snapshot = AdmissionControl.cpuSnapshot(HOST, PROFILE, holding, Map.of());
        assertDoesNotThrow(() -> AdmissionControl.checkCpu("start", snapshot, vm("c", 512, 100, 0), null, null));
        AdmissionException e = assertThrows(AdmissionException.class,
                () -> AdmissionControl.checkCpu("start", snapshot, vm("c", 512, 101, 0), null, null));
        assertEquals("cannot start VM 'c' on host 'h1': CPU reservation of 101 MHz asked, 100 MHz unreserved of 8100 MHz guest "
                + "capacity (8000 MHz reserved by 2 other VMs)", e.getMessage());
    }

    @Test
    void policyDecidesAndItsReasonIsPassedOn() {
        CpuQosPolicy strict = new CpuQosPolicy() {
            @Override
            public CpuAllocation allocate(CpuSnapshot host) {
                return new CpuAllocation(List.of(), List.of());
            }

            @Override
            public Admission admit(CpuSnapshot host, VmSpec candidate) {
                return candidate.cpu().reservationMhz() > 10 ? Admission.refused("10 MHz at most, " + host.vms().size() + " VMs")
                        : Admission.granted();
            }
        };
        CpuSnapshot snapshot = AdmissionControl.cpuSnapshot(HOST, PROFILE, List.of(vm("a", 512, 0, 0)), Map.of());
        assertDoesNotThrow(() -> AdmissionControl.checkCpu("start", snapshot, vm("c", 512, 10, 0), strict, "strict"));
        AdmissionException e = assertThrows(AdmissionException.class,
                () -> AdmissionControl.checkCpu("start", snapshot, vm("c", 512, 11, 0), strict, "strict"));
        assertEquals("cannot start VM 'c' on host 'h1': 10 MHz at most, 1 VMs (CPU policy 'strict')", e.getMessage());
        CpuSnapshot full = AdmissionControl.cpuSnapshot(HOST, PROFILE, List.of(vm("a", 512, 8100, 0)), Map.of());
        CpuQosPolicy generous = new CpuQosPolicy() {
            @Override
            public CpuAllocation allocate(CpuSnapshot host) {
                return new CpuAllocation(List.of(), List.of());
            }

            @Override
            public Admission admit(CpuSnapshot host, VmSpec candidate) {
                return Admission.granted();
            }
        };
        assertDoesNotThrow(() -> AdmissionControl.checkCpu("start", full, vm("c", 512, 5000, 0), generous, "credit"),
                "a policy without reservations admits what the fallback arithmetic would refuse");
    }

    @Test
    void configuredMemoryMayReachTheOvercommitRatioOfUsableMemory() {
        List<VmSpec> holding = List.of(vm("a", 6000, 0, 0));
        assertDoesNotThrow(() -> AdmissionControl.checkMemory("start", HOST, PROFILE, holding, vm("b", 5520, 0, 0), GLOBAL, true));
        AdmissionException e = assertThrows(AdmissionException.class,
                () -> AdmissionControl.checkMemory("start", HOST, PROFILE, holding, vm("b", 5521, 0, 0), GLOBAL, true));
        assertEquals("cannot start VM 'b' on host 'h1': memory of 5521 MiB asked, 5520 MiB left of 11520 MiB allowed (global "
                + "overcommit ratio 1.50 x 7680 MiB usable of 8192 MiB host memory; active VMs have 6000 MiB)", e.getMessage());
        assertDoesNotThrow(() -> AdmissionControl.checkMemory("change", HOST, PROFILE, holding, vm("b", 9000, 0, 0), GLOBAL, false),
                "a reservation change does not recheck configured memory");
        assertThrows(AdmissionException.class,
                () -> AdmissionControl.checkMemory("start", HOST, PROFILE, holding, vm("b", 2000, 0, 0), OvercommitRatio.global(1.0),
                        true));
    }

    @Test
    void aClustersOwnRatioSetsTheLimitAndIsNamedWithItsClusterInTheRefusal() {
        List<VmSpec> holding = List.of(vm("a", 6000, 0, 0));
        OvercommitRatio prod = new OvercommitRatio(2.0, "prod");
        assertEquals(15360, AdmissionControl.memoryLimit(HOST, PROFILE, prod.ratio()));
        assertDoesNotThrow(() -> AdmissionControl.checkMemory("start", HOST, PROFILE, holding, vm("b", 9360, 0, 0), prod, true));
        AdmissionException e = assertThrows(AdmissionException.class,
                () -> AdmissionControl.checkMemory("start", HOST, PROFILE, holding, vm("b", 9361, 0, 0), prod, true));
        assertEquals("cannot start VM 'b' on host 'h1': memory of 9361 MiB asked, 9360 MiB left of 15360 MiB allowed (overcommit "
                + "ratio 2.00 of cluster 'prod' x 7680 MiB usable of 8192 MiB host memory; active VMs have 6000 MiB)", e.getMessage());
    }

    @Test
    void memoryReservationsMustFitUsableMemory() {
        List<VmSpec> holding = List.of(vm("a", 4096, 0, 4000));
        assertDoesNotThrow(() -> AdmissionControl.checkMemory("start", HOST, PROFILE, holding, vm("b", 4096, 0, 3680), GLOBAL, true));
        AdmissionException e = assertThrows(AdmissionException.class,
                () -> AdmissionControl.checkMemory("start", HOST, PROFILE, holding, vm("b", 4096, 0, 3681), GLOBAL, true));
        assertEquals("cannot start VM 'b' on host 'h1': memory reservation of 3681 MiB asked, 3680 MiB unreserved of 7680 MiB "
                + "usable (8192 MiB host memory less 512 MiB for the hypervisor; active VMs reserve 4000 MiB)", e.getMessage());
    }
}
