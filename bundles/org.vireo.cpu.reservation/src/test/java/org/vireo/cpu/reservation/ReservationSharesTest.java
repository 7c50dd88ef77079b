package org.vireo.cpu.reservation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.vireo.api.cpu.Admission;
import org.vireo.api.cpu.CpuAllocation;
import org.vireo.api.cpu.CpuDemand;
import org.vireo.api.cpu.CpuEntitlement;
import org.vireo.api.cpu.CpuSnapshot;
import org.vireo.api.model.CpuQos;
import org.vireo.api.model.InvalidSpecException;
import org.vireo.api.model.VmSpec;

class ReservationSharesTest {
    private static final double EPS = 1e-6;

    private static CpuDemand vm(String name, int vcpus, Long limit, long reservation, int shares, double demand) {
        return new CpuDemand(name, vcpus, new CpuQos(limit, reservation, shares), demand);
    }

    private static CpuSnapshot host(double capacity, double coreMhz, CpuDemand... vms) {
        return new CpuSnapshot("h1", capacity, coreMhz, List.of(vms));
    }

    private static double[] entitled(CpuAllocation allocation) {
        return allocation.entitlements().stream().mapToDouble(CpuEntitlement::entitledMhz).toArray();
    }

    private static void assertEntitled(CpuAllocation allocation, double... expected) {
        double[] actual = entitled(allocation);
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], EPS, allocation.entitlements().get(i).vm());
        }
    }

    private static VmSpec candidate(String name, int vcpus, long reservation) {
        return VmSpec.of(name, vcpus, 1024).withCpu(new CpuQos(null, reservation, 1000));
    }

    // --- the seed scenarios

    @Test
    void aVmLimitedTo2GhzNeverGetsMoreEvenOnAnIdleHost() {
        CpuAllocation a = ReservationShares.allocate(host(24_000, 3000, vm("vm1", 4, 2000L, 0, 1000, 12_000)));
        assertEntitled(a, 2000);
        assertEquals(2000, a.entitlements().get(0).capMhz());
    }

    @Test
    void sharesOf2000And1000GiveCpuInTheRatio2To1OnAContendedHost() {
        CpuAllocation a = ReservationShares.allocate(host(3000, 3000,
                vm("vm1", 2, null, 0, 2000, 6000), vm("vm2", 2, null, 0, 1000, 6000)));
        assertEntitled(a, 2000, 1000);
        assertEquals(2000, a.entitlements().get(0).weight());
        assertEquals(1000, a.entitlements().get(1).weight());
        assertEquals(Double.POSITIVE_INFINITY, a.entitlements().get(1).capMhz());
    }

    @Test
    void aReservationOf2GhzOnA3GhzHostGives2000And1000WhenBothAreCpuBound() {
        assertEntitled(ReservationShares.allocate(host(3000, 3000,
                vm("vm1", 1, null, 2000, 1000, 3000), vm("vm2", 1, null, 0, 1000, 3000))), 2000, 1000);
    }

    @Test
    void whatAReservedVmDoesNotWantGoesToTheOther() {
        assertEntitled(ReservationShares.allocate(host(3000, 3000,
                vm("vm1", 1, null, 2000, 1000, 1000), vm("vm2", 1, null, 0, 1000, 3000))), 1000, 2000);
    }

    // --- water-filling edges

    @Test
    void allVmsReservedGetTheirReservationsAndShareTheRestByShares() {
        assertEntitled(ReservationShares.allocate(host(3000, 3000, vm("a", 1, null, 1000, 1000, 3000),
                vm("b", 1, null, 1000, 1000, 3000), vm("c", 1, null, 1000, 1000, 3000))), 1000, 1000, 1000);
        // floors of 500 each, the level 0.5 MHz per share: a stays at its floor
        assertEntitled(ReservationShares.allocate(host(3000, 3000, vm("a", 1, null, 500, 1000, 3000),
                vm("b", 1, null, 500, 2000, 3000), vm("c", 1, null, 500, 3000, 3000))), 500, 1000, 1500);
        assertEntitled(ReservationShares.allocate(host(3000, 3000, vm("a", 1, null, 900, 1000, 3000),
                vm("b", 1, null, 100, 1000, 3000))), 1500, 1500);
    }

    @Test
    void zeroDemandGetsNothingAndLeavesAllToTheOthers() {
        CpuAllocation idle = ReservationShares.allocate(host(3000, 3000,
                vm("a", 1, null, 2000, 1000, 0), vm("b", 1, null, 0, 1000, 0)));
        assertEntitled(idle, 0, 0);
        assertTrue(idle.warnings().isEmpty());
        assertEntitled(ReservationShares.allocate(host(6000, 3000,
                vm("a", 2, null, 2000, 5000, 0), vm("b", 2, null, 0, 1, 6000))), 0, 6000);
    }

    @Test
    void negativeOrUnknownDemandCountsAsNone() {
        assertEntitled(ReservationShares.allocate(host(3000, 3000,
                vm("a", 1, null, 0, 1000, -5), vm("b", 1, null, 0, 1000, Double.NaN))), 0, 0);
    }

    @Test
    void oneVmGetsWhatItWantsUpToItsVcpus() {
        assertEntitled(ReservationShares.allocate(host(24_000, 3000, vm("a", 2, null, 0, 1000, 4000))), 4000);
        assertEntitled(ReservationShares.allocate(host(24_000, 3000, vm("a", 2, null, 0, 1000, 10_000))), 6000);
        assertEntitled(ReservationShares.allocate(host(2000, 3000, vm("a", 2, null, 0, 1000, 10_000))), 2000);
    }

    @Test
    void demandAboveVcpusTimesCoreMhzIsCutToWhatTheVcpusCanRun() {
        // 12 GHz host, two one-vCPU VMs wanting 9.999 GHz each: each runs at most one 3 GHz core
        assertEntitled(ReservationShares.allocate(host(12_000, 3000,
                vm("a", 1, null, 0, 1000, 9999), vm("b", 1, null, 0, 3000, 9999))), 3000, 3000);
    }

    @Test
    void anEmptyHostGivesAnEmptyAllocation() {
        CpuAllocation a = ReservationShares.allocate(host(3000, 3000));
        assertTrue(a.entitlements().isEmpty());
        assertTrue(a.warnings().isEmpty());
    }

    @Test
    void limitsBelowReservationsAreRejectedWhenTheQosIsDefined() {
        InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> new CpuQos(1000L, 2000, 1000));
        assertEquals("cpu.reservationMhz", e.field());
        assertEquals("2000", e.value());
        assertThrows(InvalidSpecException.class, () -> CpuQos.DEFAULT.withLimitMhz(500L).withReservationMhz(501));
    }

    @Test
    void reservationsAboveCapacityAreScaledDownProportionallyAndNeverExceedIt() {
        CpuAllocation a = ReservationShares.allocate(host(3000, 3000, vm("a", 1, null, 2000, 1000, 3000),
                vm("b", 1, null, 2000, 9000, 3000), vm("c", 1, null, 0, 1000, 3000)));
        assertEntitled(a, 1500, 1500, 0);
        assertEquals(List.of("host h1: the reservations in use (4000 MHz) exceed its capacity of 3000 MHz;"
                + " each reserved VM receives 75.0% of its reservation"), a.warnings());
        // floors count only what a VM wants: 2000 + 500 < 3000, no scaling
        CpuAllocation b = ReservationShares.allocate(host(3000, 3000, vm("a", 1, null, 2000, 1000, 3000),
                vm("b", 1, null, 2000, 1000, 500)));
        assertEntitled(b, 2500, 500);
        assertTrue(b.warnings().isEmpty());
    }

    @Test
    void aReservationAboveWhatTheVcpusCanRunIsWarnedAboutAndCut() {
        CpuAllocation a = ReservationShares.allocate(host(12_000, 3000, vm("a", 1, null, 4000, 1000, 9000),
                vm("b", 4, null, 0, 1000, 12_000)));
        assertEntitled(a, 3000, 9000);
        assertEquals(List.of("a: reservation of 4000 MHz is more than its 1 vCPU can use on host h1 (3000 MHz);"
                + " at most 3000 MHz is guaranteed"), a.warnings());
    }

    @Test
    void hundredsOfVmsConserveCapacityStayInBoundsAndShareByShares() {
        Random random = new Random(7);
        for (int round = 0; round < 50; round++) {
            int n = 100 + random.nextInt(400);
            double coreMhz = 2000 + random.nextInt(2000);
            List<CpuDemand> vms = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int vcpus = 1 + random.nextInt(4);
                Long limit = random.nextInt(4) == 0 ? (long) (500 + random.nextInt(8000)) : null;
                long reservation = random.nextInt(3) == 0 ? random.nextInt((int) Math.min(limit == null ? 4000 : limit, 4000)) : 0;
                int shares = random.nextInt(5) == 0 ? 1 + random.nextInt(1_000_000) : 500 * (1 + random.nextInt(4));
                double demand = random.nextInt(6) == 0 ? 0 : random.nextDouble() * vcpus * coreMhz * 1.5;
                vms.add(vm("vm" + i, vcpus, limit, reservation, shares, demand));
            }
            double capacity = n * coreMhz * (0.2 + random.nextDouble());
            CpuSnapshot h = new CpuSnapshot("h" + round, capacity, coreMhz, vms);
            CpuAllocation a = ReservationShares.allocate(h);

            double sumCeilings = 0;
            double sumFloors = 0;
            double[] ceilings = new double[n];
            double[] floors = new double[n];
            for (int i = 0; i < n; i++) {
                CpuDemand d = vms.get(i);
                ceilings[i] = Math.min(d.qos().limitOrInfinity(), Math.min(d.demandMhz(), d.vcpus() * coreMhz));
                floors[i] = Math.min(d.qos().reservationMhz(), ceilings[i]);
                sumCeilings += ceilings[i];
                sumFloors += floors[i];
            }
            double tolerance = 1e-9 * capacity;
            double sum = 0;
            double level = -1;
            for (int i = 0; i < n; i++) {
                CpuDemand d = vms.get(i);
                CpuEntitlement e = a.entitlements().get(i);
                assertEquals(d.vm(), e.vm());
                sum += e.entitledMhz();
                assertTrue(e.entitledMhz() <= ceilings[i] + tolerance, d.vm() + " above its bound");
                if (sumFloors <= capacity) {
                    assertTrue(e.entitledMhz() >= floors[i] - tolerance, d.vm() + " below its reservation");
                }
                if (e.entitledMhz() > floors[i] + tolerance && e.entitledMhz() < ceilings[i] - tolerance) {
                    double perShare = e.entitledMhz() / d.qos().shares();
                    level = level < 0 ? perShare : level;
                    assertEquals(level, perShare, level * 1e-9, d.vm() + " off the shares ratio");
                }
            }
            assertEquals(sumFloors > capacity, a.warnings().stream().anyMatch(w -> w.startsWith("host")));
            assertEquals(Math.min(capacity, sumCeilings), sum, tolerance * 10, "round " + round);
        }
    }

    // --- admission

    @Test
    void aReservationThatDoesNotFitIsRefusedWithTheNumbers() {
        CpuSnapshot h = host(3000, 3000, vm("vm1", 1, null, 2000, 1000, 0), vm("vm2", 1, null, 0, 1000, 0));
        Admission refused = ReservationShares.admit(h, candidate("vm3", 1, 2000));
        assertFalse(refused.admitted());
        assertEquals("vm3 reserves 2000 MHz but host h1 has 1000 MHz unreserved of 3000 MHz (reserved: vm1 2000)",
                refused.reason());
        assertTrue(ReservationShares.admit(h, candidate("vm3", 1, 1000)).admitted());
    }

    @Test
    void theRefusalListsEveryReservationHolder() {
        CpuSnapshot h = host(2850.5, 3000, vm("a", 1, null, 1000, 1000, 0), vm("b", 1, null, 1500, 1000, 0));
        assertEquals("c reserves 500 MHz but host h1 has 350.5 MHz unreserved of 2850.5 MHz (reserved: a 1000, b 1500)",
                ReservationShares.admit(h, candidate("c", 1, 500)).reason());
        assertEquals("c reserves 3000 MHz but host h1 has 2850.5 MHz unreserved of 2850.5 MHz (reserved: none)",
                ReservationShares.admit(host(2850.5, 3000), candidate("c", 1, 3000)).reason());
    }

    @Test
    void aReservationAboveWhatItsVcpusCanRunIsRefused() {
        Admission refused = ReservationShares.admit(host(24_000, 3000), candidate("vm3", 1, 4000));
        assertFalse(refused.admitted());
        assertEquals("vm3 reserves 4000 MHz but its 1 vCPU can use at most 3000 MHz on host h1 (3000 MHz per core)",
                refused.reason());
        assertTrue(ReservationShares.admit(host(24_000, 3000), candidate("vm3", 2, 4000)).admitted());
    }

    @Test
    void noReservationIsAlwaysAdmittedAndAnExactFitToo() {
        CpuSnapshot full = host(3000, 3000, vm("a", 1, null, 3000, 1000, 3000));
        assertTrue(ReservationShares.admit(full, candidate("b", 1, 0)).admitted());
        assertTrue(ReservationShares.admit(host(3000, 3000, vm("a", 1, null, 1000, 1000, 0)), candidate("b", 1, 2000))
                .admitted());
    }

    @Test
    void aResizeIsNotCountedAgainstItsOldReservation() {
        CpuSnapshot h = host(3000, 3000, vm("a", 1, null, 2000, 1000, 3000));
        assertTrue(ReservationShares.admit(h, candidate("a", 1, 3000)).admitted());
    }

    @Test
    void mhzAreShownWholeOrWithOneDecimal() {
        assertEquals("3000", ReservationShares.mhz(3000));
        assertEquals("3000", ReservationShares.mhz(2999.99999));
        assertEquals("2850.5", ReservationShares.mhz(2850.5));
        assertEquals("0", ReservationShares.mhz(0));
    }
}
