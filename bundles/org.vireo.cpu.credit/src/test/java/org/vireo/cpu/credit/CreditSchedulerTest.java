package org.vireo.cpu.credit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import org.vireo.api.model.InvalidSpecException;

class CreditSchedulerTest {
    private static final double EPS = 1e-6;
    private final CreditScheduler xen = new CreditScheduler(256);

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
    void sharesMapToWeightsAroundXensDefaultOf256() {
        assertEquals(256, xen.weight(1000));
        assertEquals(512, xen.weight(2000));
        assertEquals(128, xen.weight(500));
        assertEquals(1, xen.weight(1));
        assertEquals(65_535, xen.weight(1_000_000));
        assertEquals(1000, new CreditScheduler(1000).weight(1000));
    }

    @Test
    void aDefaultWeightOutsideXensRangeIsRefused() {
        assertEquals("defaultWeight", assertThrows(InvalidSpecException.class, () -> new CreditScheduler(0)).field());
        assertEquals("defaultWeight", assertThrows(InvalidSpecException.class, () -> new CreditScheduler(65_536)).field());
    }

    @Test
    void limitsMapToCapsInPercentOfOneCoreRoundedDown() {
        assertEquals(0, CreditScheduler.capPercent(CpuQos.DEFAULT, 3000));
        assertEquals(50, CreditScheduler.capPercent(CpuQos.DEFAULT.withLimitMhz(1500L), 3000));
        assertEquals(50, CreditScheduler.capPercent(CpuQos.DEFAULT.withLimitMhz(2000L), 4000));
        assertEquals(66, CreditScheduler.capPercent(CpuQos.DEFAULT.withLimitMhz(2000L), 3000));
        assertEquals(250, CreditScheduler.capPercent(CpuQos.DEFAULT.withLimitMhz(7500L), 3000));
        assertEquals(1, CreditScheduler.capPercent(CpuQos.DEFAULT.withLimitMhz(10L), 3000));
        assertEquals(0, CreditScheduler.capPercent(CpuQos.DEFAULT.withLimitMhz(10L), 0));
    }

    @Test
    void weightsDivideAContendedHost() {
        CpuAllocation a = xen.allocate(host(3000, 3000, vm("a", 2, null, 0, 2000, 6000), vm("b", 2, null, 0, 1000, 6000)));
        assertEntitled(a, 2000, 1000);
        assertEquals(512, a.entitlements().get(0).weight());
        assertEquals(256, a.entitlements().get(1).weight());
        assertTrue(a.warnings().isEmpty());
    }

    @Test
    void aCapHoldsEvenOnAnIdleHostAndIsTheEntitlementsCap() {
        CpuAllocation a = xen.allocate(host(24_000, 3000, vm("a", 4, 1500L, 0, 1000, 12_000)));
        assertEntitled(a, 1500);
        assertEquals(1500, a.entitlements().get(0).capMhz(), EPS);
        CpuAllocation b = xen.allocate(host(24_000, 3000, vm("a", 4, 2000L, 0, 1000, 12_000)));
        assertEntitled(b, 1980); // 66% of a core
        assertEquals(Double.POSITIVE_INFINITY,
                xen.allocate(host(3000, 3000, vm("a", 1, null, 0, 1000, 10))).entitlements().get(0).capMhz());
    }

    @Test
    void whatACappedOrIdleVmLeavesGoesToTheOthersByWeight() {
        assertEntitled(xen.allocate(host(6000, 3000, vm("a", 2, 600L, 0, 1000, 6000), vm("b", 2, null, 0, 1000, 6000),
                vm("c", 2, null, 0, 2000, 6000), vm("d", 2, null, 0, 5000, 0))), 600, 1800, 3600, 0);
    }

    @Test
    void demandAboveWhatTheVcpusRunIsCut() {
        assertEntitled(xen.allocate(host(12_000, 3000, vm("a", 1, null, 0, 1000, 9000), vm("b", 1, null, 0, 1000, 9000))),
                3000, 3000);
    }

    @Test
    void reservationsAreNotHonouredButReported() {
        // the reservation seed under credit: equal weights, equal halves
        CpuAllocation a = xen.allocate(host(3000, 3000, vm("vm1", 1, null, 2000, 1000, 3000),
                vm("vm2", 1, null, 0, 1000, 3000)));
        assertEntitled(a, 1500, 1500);
        assertEquals(List.of("vm1: reservation of 2000 MHz is not honoured by the credit policy"), a.warnings());
    }

    @Test
    void aLimitBelowTheSmallestCapIsReported() {
        CpuAllocation a = xen.allocate(host(3000, 3000, vm("a", 1, 10L, 0, 1000, 3000)));
        assertEntitled(a, 30);
        assertEquals(List.of("a: limit of 10 MHz is below the credit policy's smallest cap, 1% of a 3000 MHz core;"
                + " capped at 30 MHz"), a.warnings());
    }

    @Test
    void zeroDemandAndAnEmptyHostGetNothing() {
        assertEntitled(xen.allocate(host(3000, 3000, vm("a", 1, null, 0, 1000, 0))), 0);
        assertTrue(xen.allocate(host(3000, 3000)).entitlements().isEmpty());
    }

    @Test
    void hundredsOfVmsConserveCapacityAndShareByWeight() {
        Random random = new Random(11);
        for (int round = 0; round < 30; round++) {
            int n = 100 + random.nextInt(400);
            List<CpuDemand> vms = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Long limit = random.nextInt(4) == 0 ? (long) (100 + random.nextInt(6000)) : null;
                vms.add(vm("vm" + i, 1 + random.nextInt(4), limit, 0, 1 + random.nextInt(20_000),
                        random.nextDouble() * 15_000));
            }
            double capacity = n * 3000 * (0.1 + random.nextDouble());
            CpuAllocation a = xen.allocate(new CpuSnapshot("h", capacity, 3000, vms));
            double sum = 0;
            double sumCeilings = 0;
            double level = -1;
            for (int i = 0; i < n; i++) {
                CpuDemand d = vms.get(i);
                CpuEntitlement e = a.entitlements().get(i);
                double ceiling = Math.min(e.capMhz(), Math.min(d.demandMhz(), d.vcpus() * 3000.0));
                assertTrue(e.entitledMhz() <= ceiling + 1e-6, d.vm());
                assertEquals(xen.weight(d.qos().shares()), e.weight());
                sum += e.entitledMhz();
                sumCeilings += ceiling;
                if (e.entitledMhz() < ceiling - 1e-6) {
                    double perWeight = e.entitledMhz() / e.weight();
                    level = level < 0 ? perWeight : level;
                    assertEquals(level, perWeight, level * 1e-9, d.vm());
                }
            }
            assertEquals(Math.min(capacity, sumCeilings), sum, 1e-6 * capacity);
        }
    }
}
