package org.vireo.cpu.fair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.vireo.api.cpu.CpuAllocation;
import org.vireo.api.cpu.CpuDemand;
import org.vireo.api.cpu.CpuEntitlement;
import org.vireo.api.cpu.CpuSnapshot;
import org.vireo.api.model.CpuQos;

class FairShareTest {
    private static final double EPS = 1e-6;

    private static CpuDemand vm(String name, int vcpus, Long limit, long reservation, int shares, double demand) {
        return new CpuDemand(name, vcpus, new CpuQos(limit, reservation, shares), demand);
    }

    private static CpuSnapshot host(double capacity, double coreMhz, CpuDemand... vms) {
        return new CpuSnapshot("h1", capacity, coreMhz, List.of(vms));
    }

    private static void assertEntitled(CpuAllocation allocation, double... expected) {
        assertEquals(expected.length, allocation.entitlements().size());
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], allocation.entitlements().get(i).entitledMhz(), EPS,
                    allocation.entitlements().get(i).vm());
        }
    }

    @Test
    void aContendedHostIsSplitPerVcpuWhateverTheShares() {
        CpuAllocation a = FairShare.allocate(host(6000, 3000, vm("a", 1, null, 0, 9000, 3000),
                vm("b", 2, null, 0, 1000, 6000), vm("c", 3, null, 0, 1, 9000)));
        assertEntitled(a, 1000, 2000, 3000);
        assertEquals(List.of(1024L, 2048L, 3072L), a.entitlements().stream().map(CpuEntitlement::weight).toList());
        assertTrue(a.warnings().isEmpty());
    }

    @Test
    void limitsAreHonouredAndWhatTheyLeaveGoesToTheOthersPerVcpu() {
        CpuAllocation a = FairShare.allocate(host(24_000, 3000, vm("a", 4, 2000L, 0, 1000, 12_000),
                vm("b", 1, null, 0, 1000, 3000)));
        assertEntitled(a, 2000, 3000);
        assertEquals(2000, a.entitlements().get(0).capMhz());
        assertEntitled(FairShare.allocate(host(6000, 3000, vm("a", 2, 1000L, 0, 1000, 6000),
                vm("b", 1, null, 0, 1000, 3000), vm("c", 2, null, 0, 1000, 6000))), 1000, 1666.666667, 3333.333333);
    }

    @Test
    void idleVmsLeaveTheirShareAndDemandIsCutToTheVcpus() {
        assertEntitled(FairShare.allocate(host(6000, 3000, vm("a", 4, null, 0, 1000, 0),
                vm("b", 1, null, 0, 1000, 99_999), vm("c", 1, null, 0, 1000, 2000))), 0, 3000, 2000);
    }

    @Test
    void reservationsAreNotHonouredButReported() {
        CpuAllocation a = FairShare.allocate(host(3000, 3000, vm("vm1", 1, null, 2000, 1000, 3000),
                vm("vm2", 1, null, 0, 1000, 3000)));
        assertEntitled(a, 1500, 1500);
        assertEquals(List.of("vm1: reservation of 2000 MHz is not honoured by the fair policy"), a.warnings());
    }

    @Test
    void anEmptyHostGivesAnEmptyAllocation() {
        assertTrue(FairShare.allocate(host(3000, 3000)).entitlements().isEmpty());
    }

    @Test
    void hundredsOfVmsConserveCapacityAndGetTheSamePerVcpu() {
        Random random = new Random(3);
        for (int round = 0; round < 30; round++) {
            int n = 100 + random.nextInt(400);
            List<CpuDemand> vms = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Long limit = random.nextInt(4) == 0 ? (long) (100 + random.nextInt(6000)) : null;
                vms.add(vm("vm" + i, 1 + random.nextInt(8), limit, 0, 1000, random.nextDouble() * 20_000));
            }
            double capacity = n * 2500 * (0.2 + random.nextDouble());
            CpuAllocation a = FairShare.allocate(new CpuSnapshot("h", capacity, 2500, vms));
            double sum = 0;
            double sumCeilings = 0;
            double perVcpu = -1;
            for (int i = 0; i < n; i++) {
                CpuDemand d = vms.get(i);
                double e = a.entitlements().get(i).entitledMhz();
                double ceiling = Math.min(d.qos().limitOrInfinity(), Math.min(d.demandMhz(), d.vcpus() * 2500.0));
                assertTrue(e <= ceiling + 1e-6, d.vm());
                sum += e;
                sumCeilings += ceiling;
                if (e < ceiling - 1e-6) {
                    perVcpu = perVcpu < 0 ? e / d.vcpus() : perVcpu;
                    assertEquals(perVcpu, e / d.vcpus(), perVcpu * 1e-9, d.vm());
                }
            }
            assertEquals(Math.min(capacity, sumCeilings), sum, 1e-6 * capacity);
        }
    }
}
