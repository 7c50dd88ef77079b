package org.vireo.cgroups;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vireo.api.cpu.CpuAllocation;
import org.vireo.api.cpu.CpuDemand;
import org.vireo.api.cpu.CpuEntitlement;
import org.vireo.api.cpu.CpuSnapshot;
import org.vireo.api.model.CpuQos;
import org.vireo.api.model.InvalidSpecException;

class CgroupCpuMappingTest {
    private static final double INF = Double.POSITIVE_INFINITY;

    private static CpuDemand busy(String vm, long reservation) {
        return new CpuDemand(vm, 1, new CpuQos(null, reservation, 1000), 3000);
    }

    private static CpuSnapshot host(CpuDemand... vms) {
        return new CpuSnapshot("h1", 3000, 3000, List.of(vms));
    }

    private static CpuAllocation allocation(CpuEntitlement... entitlements) {
        return new CpuAllocation(List.of(entitlements), List.of());
    }

    private static long[] quotas(List<CgroupCpuSettings> settings) {
        return settings.stream().mapToLong(CgroupCpuSettings::quotaUs).toArray();
    }

    @Test
    void anUnlimitedVmHasNoQuota() {
        List<CgroupCpuSettings> s = CgroupCpuMapping.map(host(busy("vm1", 0)),
                allocation(new CpuEntitlement("vm1", 3000, INF, 1000)));
        assertEquals(List.of(new CgroupCpuSettings("vm1", 100_000, -1, 1000, 39)), s);
        assertEquals("max 100000", s.get(0).v2().get("cpu.max"));
        assertEquals("-1", s.get(0).v1().get("cpu.cfs_quota_us"));
    }

    @Test
    void aCapBecomesAQuotaRoundedDownSoTheCapIsNeverExceeded() {
        // 2000 MHz of a 3000 MHz core is 2/3 of each period
        CpuSnapshot h = host(new CpuDemand("vm1", 2, new CpuQos(2000L, 0, 1000), 6000));
        List<CgroupCpuSettings> s = CgroupCpuMapping.map(h, allocation(new CpuEntitlement("vm1", 2000, 2000, 1000)));
        assertEquals(66_666, s.get(0).quotaUs());
        assertEquals("66666 100000", s.get(0).v2().get("cpu.max"));
        assertEquals("100000", s.get(0).v1().get("cpu.cfs_period_us"));
    }

    @Test
    void aCapAboveOneCoreSpansSeveralCpusOfTime() {
        assertEquals(150_000, CgroupCpuMapping.quotaUs(4500, 3000, 100_000));
        assertEquals(75_000, CgroupCpuMapping.quotaUs(4500, 3000, 50_000));
    }

    @Test
    void aTinyCapIsRaisedToTheKernelMinimumAndAHugeOneLoweredToItsMaximum() {
        assertEquals(1000, CgroupCpuMapping.quotaUs(1, 3000, 100_000));
        assertEquals(1000, CgroupCpuMapping.quotaUs(0, 3000, 100_000));
        assertEquals(CgroupCpuSettings.MAX_QUOTA_US, CgroupCpuMapping.quotaUs(1e8, 0.001, 1_000_000));
    }

    @Test
    void sharesConvertToV2WeightsWithTheStandardFormula() {
        assertEquals(1, CgroupCpuMapping.sharesToWeight(2));
        assertEquals(39, CgroupCpuMapping.sharesToWeight(1024));
        assertEquals(10_000, CgroupCpuMapping.sharesToWeight(262_144));
        assertEquals(1 + (100_000L - 2) * 9999 / 262_142, CgroupCpuMapping.sharesToWeight(100_000));
        assertEquals("shares", assertThrows(InvalidSpecException.class, () -> CgroupCpuMapping.sharesToWeight(1)).field());
        assertEquals("shares",
                assertThrows(InvalidSpecException.class, () -> CgroupCpuMapping.sharesToWeight(262_145)).field());
    }

    @Test
    void weightsInRangeAreWrittenAsShares() {
        List<CgroupCpuSettings> s = CgroupCpuMapping.map(host(busy("a", 0), busy("b", 0)),
                allocation(new CpuEntitlement("a", 2000, INF, 2000), new CpuEntitlement("b", 1000, INF, 1000)));
        assertEquals(2000, s.get(0).shares());
        assertEquals(1000, s.get(1).shares());
        assertEquals(CgroupCpuMapping.sharesToWeight(2000), s.get(0).weight());
    }

    @Test
    void weightsOutOfRangeAreScaledByOneFactorKeepingTheirRatio() {
        assertArrayEquals(new long[] {262_144, 262}, CgroupCpuMapping.shares(new CpuEntitlement[] {
            new CpuEntitlement("a", 0, INF, 1_000_000), new CpuEntitlement("b", 0, INF, 1000)}));
        assertArrayEquals(new long[] {2, 2000}, CgroupCpuMapping.shares(new CpuEntitlement[] {
            new CpuEntitlement("a", 0, INF, 1), new CpuEntitlement("b", 0, INF, 1000)}));
        assertArrayEquals(new long[] {2, 262_144}, CgroupCpuMapping.shares(new CpuEntitlement[] {
            new CpuEntitlement("a", 0, INF, 1), new CpuEntitlement("b", 0, INF, 200_000)}));
        assertArrayEquals(new long[] {2, 2}, CgroupCpuMapping.shares(new CpuEntitlement[] {
            new CpuEntitlement("a", 0, INF, 1), new CpuEntitlement("b", 0, INF, 1)}));
    }

    @Test
    void aReservationAboveTheWeightedShareCapsTheUnreservedVm() {
        // 3 GHz host: vm1 reserves 2 GHz, both CPU-bound; equal shares alone would give 1500/1500
        List<CgroupCpuSettings> s = CgroupCpuMapping.map(host(busy("vm1", 2000), busy("vm2", 0)),
                allocation(new CpuEntitlement("vm1", 2000, INF, 1000), new CpuEntitlement("vm2", 1000, INF, 1000)));
        assertArrayEquals(new long[] {-1, 33_333}, quotas(s));
        assertEquals("33333 100000", s.get(1).v2().get("cpu.max"));
    }

    @Test
    void aReservationWithinTheWeightedShareCapsNobody() {
        // vm1 wants only 1 GHz: shares alone already give it that, vm2 the rest
        CpuSnapshot h = host(new CpuDemand("vm1", 1, new CpuQos(null, 2000, 1000), 1000), busy("vm2", 0));
        List<CgroupCpuSettings> s = CgroupCpuMapping.map(h,
                allocation(new CpuEntitlement("vm1", 1000, INF, 1000), new CpuEntitlement("vm2", 2000, INF, 1000)));
        assertArrayEquals(new long[] {-1, -1}, quotas(s));
    }

    @Test
    void sharesAloneNeedNoCaps() {
        List<CgroupCpuSettings> s = CgroupCpuMapping.map(host(busy("a", 0), busy("b", 0)),
                allocation(new CpuEntitlement("a", 2000, INF, 2000), new CpuEntitlement("b", 1000, INF, 1000)));
        assertArrayEquals(new long[] {-1, -1}, quotas(s));
    }

    @Test
    void capsAreAddedRoundByRoundUntilNoVmFallsShort() {
        // reservations 1800 and 1000 on 3000 MHz, equal shares: entitlements 1800/1000/200.
        // Shares alone: 1000 each, so c is capped at 200; then a and b split 2800 evenly, so b
        // is capped at 1000 too; then a gets its 1800.
        List<CgroupCpuSettings> s = CgroupCpuMapping.map(host(busy("a", 1800), busy("b", 1000), busy("c", 0)),
                allocation(new CpuEntitlement("a", 1800, INF, 1000), new CpuEntitlement("b", 1000, INF, 1000),
                        new CpuEntitlement("c", 200, INF, 1000)));
        assertArrayEquals(new long[] {-1, 33_333, 6_666}, quotas(s));
    }

    @Test
    void aReservedVmAboveItsFloorIsCappedLikeAnyOther() {
        // b reserves a little but weighs ten times a: capping only the unreserved c would
        // let b take a's reservation
        CpuSnapshot h = host(busy("a", 2000), new CpuDemand("b", 1, new CpuQos(null, 100, 10_000), 3000),
                busy("c", 0));
        List<CgroupCpuSettings> s = CgroupCpuMapping.map(h, allocation(new CpuEntitlement("a", 2000, INF, 1000),
                new CpuEntitlement("b", 909.090909, INF, 10_000), new CpuEntitlement("c", 90.909091, INF, 1000)));
        assertEquals(-1, s.get(0).quotaUs());
        assertEquals(30_303, s.get(1).quotaUs());
        assertEquals(3_030, s.get(2).quotaUs());
    }

    @Test
    void anEntitlementOfZeroCapsAtTheKernelMinimum() {
        // reservations of a and b exceed what shares give them while c, weighing most, wants all
        CpuSnapshot h = host(busy("a", 1500), busy("b", 1500), new CpuDemand("c", 1, new CpuQos(null, 0, 8000), 3000));
        List<CgroupCpuSettings> s = CgroupCpuMapping.map(h, allocation(new CpuEntitlement("a", 1500, INF, 1000),
                new CpuEntitlement("b", 1500, INF, 1000), new CpuEntitlement("c", 0, INF, 8000)));
        assertArrayEquals(new long[] {-1, -1, 1000}, quotas(s));
    }

    @Test
    void anIdleHostCapsNobodyWhateverItsReservations() {
        CpuSnapshot h = host(new CpuDemand("a", 1, new CpuQos(null, 2000, 1000), 0),
                new CpuDemand("b", 1, CpuQos.DEFAULT, 0));
        List<CgroupCpuSettings> s = CgroupCpuMapping.map(h,
                allocation(new CpuEntitlement("a", 0, INF, 1000), new CpuEntitlement("b", 0, INF, 1000)));
        assertArrayEquals(new long[] {-1, -1}, quotas(s));
    }

    @Test
    void anExistingCapIsKeptWhenItIsBelowTheEntitlement() {
        CpuSnapshot h = host(busy("a", 2000), new CpuDemand("b", 1, new CpuQos(500L, 0, 1000), 3000));
        List<CgroupCpuSettings> s = CgroupCpuMapping.map(h,
                allocation(new CpuEntitlement("a", 2500, INF, 1000), new CpuEntitlement("b", 500, 500, 1000)));
        assertArrayEquals(new long[] {-1, 16_666}, quotas(s));
    }

    @Test
    void manyVmsWithReservationsEndWithNoShortfall() {
        // 50 reserved VMs entitled to 900 MHz, 150 unreserved to 100: 60 GHz in all
        List<CpuDemand> vms = new ArrayList<>();
        List<CpuEntitlement> entitlements = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            boolean reserved = i % 4 == 0;
            vms.add(new CpuDemand("vm" + i, 2, new CpuQos(null, reserved ? 900 : 0, 500 + i), 6000));
            entitlements.add(new CpuEntitlement("vm" + i, reserved ? 900 : 100, INF, 500 + i));
        }
        CpuSnapshot h = new CpuSnapshot("big", 60_000, 3000, vms);
        List<CgroupCpuSettings> s = CgroupCpuMapping.map(h, new CpuAllocation(entitlements, List.of()));
        int uncappedReserved = 0;
        for (int i = 0; i < 200; i++) {
            long quota = s.get(i).quotaUs();
            if (i % 4 != 0) {
                assertEquals(3_333, quota, "vm" + i);
            } else {
                assertTrue(quota == -1 || quota == 30_000, "vm" + i + ": " + quota);
                uncappedReserved += quota == -1 ? 1 : 0;
            }
        }
        // the heavier reserved VMs are capped at 900 so that the lighter ones reach 900 too
        assertTrue(uncappedReserved > 0 && uncappedReserved < 50, "uncapped reserved: " + uncappedReserved);
        assertEquals(-1, s.get(0).quotaUs());
        assertEquals(30_000, s.get(196).quotaUs());
    }

    @Test
    void theSettingsFollowTheSnapshotOrderWhateverTheAllocationOrder() {
        List<CgroupCpuSettings> s = CgroupCpuMapping.map(host(busy("a", 0), busy("b", 0)),
                allocation(new CpuEntitlement("b", 1500, INF, 1000), new CpuEntitlement("a", 1500, INF, 1000)));
        assertEquals(List.of("a", "b"), s.stream().map(CgroupCpuSettings::vm).toList());
        assertTrue(CgroupCpuMapping.map(host(), allocation()).isEmpty());
    }

    @Test
    void aPeriodCanBeChosen() {
        CpuSnapshot h = host(new CpuDemand("vm1", 1, new CpuQos(1500L, 0, 1000), 3000));
        List<CgroupCpuSettings> s = CgroupCpuMapping.map(h,
                allocation(new CpuEntitlement("vm1", 1500, 1500, 1000)), 20_000);
        assertEquals("10000 20000", s.get(0).cpuMax());
        assertEquals("periodUs", assertThrows(InvalidSpecException.class,
                () -> CgroupCpuMapping.map(h, allocation(new CpuEntitlement("vm1", 1500, 1500, 1000)), 999)).field());
    }

    @Test
    void anAllocationThatDoesNotMatchTheSnapshotIsRefused() {
        CpuSnapshot h = host(busy("a", 0), busy("b", 0));
        InvalidSpecException missing = assertThrows(InvalidSpecException.class,
                () -> CgroupCpuMapping.map(h, allocation(new CpuEntitlement("a", 1500, INF, 1000))));
        assertEquals("allocation.entitlements", missing.field());
        assertEquals("b", missing.value());
        InvalidSpecException stranger = assertThrows(InvalidSpecException.class, () -> CgroupCpuMapping.map(h,
                allocation(new CpuEntitlement("a", 1, INF, 1), new CpuEntitlement("b", 1, INF, 1),
                        new CpuEntitlement("z", 1, INF, 1))));
        assertEquals("z", stranger.value());
        InvalidSpecException twice = assertThrows(InvalidSpecException.class, () -> CgroupCpuMapping.map(h,
                allocation(new CpuEntitlement("a", 1, INF, 1), new CpuEntitlement("a", 1, INF, 1))));
        assertEquals("a", twice.value());
    }

    @Test
    void impossibleNumbersAreRefusedNamingTheField() {
        CpuSnapshot h = host(busy("a", 0));
        assertEquals("allocation.entitlements[a].weight", assertThrows(InvalidSpecException.class,
                () -> CgroupCpuMapping.map(h, allocation(new CpuEntitlement("a", 1, INF, 0)))).field());
        assertEquals("allocation.entitlements[a].entitledMhz", assertThrows(InvalidSpecException.class,
                () -> CgroupCpuMapping.map(h, allocation(new CpuEntitlement("a", -1, INF, 1)))).field());
        assertEquals("allocation.entitlements[a].capMhz", assertThrows(InvalidSpecException.class,
                () -> CgroupCpuMapping.map(h, allocation(new CpuEntitlement("a", 1, -5, 1)))).field());
        assertEquals("coreMhz", assertThrows(InvalidSpecException.class, () -> CgroupCpuMapping.map(
                new CpuSnapshot("h1", 3000, 0, List.of(busy("a", 0))), allocation(new CpuEntitlement("a", 1, INF, 1))))
                .field());
    }
}
