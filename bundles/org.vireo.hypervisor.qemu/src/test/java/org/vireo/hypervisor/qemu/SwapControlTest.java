package org.vireo.hypervisor.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vireo.hypervisor.qemu.SwapControl.Change;
import org.vireo.hypervisor.qemu.SwapControl.Decision;
import org.vireo.hypervisor.qemu.SwapControl.Step;
import org.vireo.hypervisor.qemu.cgroup.CgroupTree.Version;

/** The swap decision: limit arithmetic, floors, the free swap, swap-in, hosts without swap. */
class SwapControlTest {
    private static final long MIB = 1024L * 1024L;
    private static final long PAGES_PER_MIB = 256;
    private static final long OVERHEAD_MIB = 256;
    private static final long UNLIMITED = Long.MAX_VALUE;

    /** A swap area of {@code totalMiB} with {@code usedMiB} written. */
    private static ProcFs.SwapSpace swap(long totalMiB, long usedMiB) {
        return new ProcFs.SwapSpace(1, totalMiB * 1024, usedMiB * 1024);
    }

    /** A 1024 MiB guest without reservation (ceiling 1280 MiB, floor 320 MiB) asking {@code askedMiB}. */
    private static SwapControl.Vm vm(String name, long askedMiB, long residentMiB, long swappedMiB, long limitMiB) {
        return vm(name, askedMiB, residentMiB, swappedMiB, limitMiB, 0, UNLIMITED, "");
    }

    private static SwapControl.Vm vm(String name, long askedMiB, long residentMiB, long swappedMiB, long limitMiB, long reservationMiB,
            long cgroupRoomBytes, String blocker) {
        return new SwapControl.Vm(name, askedMiB * PAGES_PER_MIB, residentMiB * MIB, swappedMiB * MIB,
                limitMiB == UNLIMITED ? UNLIMITED : limitMiB * MIB, (1024 + OVERHEAD_MIB) * MIB,
                SwapControl.floorBytes(1024, reservationMiB, OVERHEAD_MIB), cgroupRoomBytes, blocker);
    }

    private static Step only(Decision d) {
        assertEquals(1, d.steps().size(), d.steps().toString());
        return d.steps().get(0);
    }

    @Test
    void swapOutLowersTheLimitFromWhatTheProcessHoldsByThePagesAsked() {
        Decision d = SwapControl.decide(Version.V1, swap(4096, 0), List.of(vm("a", 100, 900, 0, 1280)));

        Step s = only(d);
        assertEquals(Change.LOWER, s.change());
        assertEquals(1280 * MIB, s.fromBytes());
        assertEquals(800 * MIB, s.toBytes(), "900 MiB held, 100 MiB asked");
        assertEquals("", s.reason(), "nothing bounded it");
        assertEquals(4096 * MIB, d.swapFreeBytes());
    }

    @Test
    void aLimitBelowWhatTheProcessHoldsIsLoweredFromTheLimit() {
        Step s = only(SwapControl.decide(Version.V1, swap(4096, 300), List.of(vm("a", 100, 900, 300, 700))));

        assertEquals(600 * MIB, s.toBytes(), "the kernel has not caught up yet: from the lower of the two");
    }

    @Test
    void theFloorIsTheReservationButAtLeastSixtyFourMiBPlusTheOverhead() {
        assertEquals((300 + OVERHEAD_MIB) * MIB, SwapControl.floorBytes(1024, 300, OVERHEAD_MIB));
        assertEquals((64 + OVERHEAD_MIB) * MIB, SwapControl.floorBytes(1024, 0, OVERHEAD_MIB));
        assertEquals((32 + OVERHEAD_MIB) * MIB, SwapControl.floorBytes(32, 0, OVERHEAD_MIB), "never more than the guest's memory");

        Decision d = SwapControl.decide(Version.V1, swap(8192, 0), List.of(vm("reserved", 1000, 900, 0, 1280, 300, UNLIMITED, ""),
                vm("small", 1000, 900, 0, 1280), vm("there", 10, 400, 0, 320)));

        assertEquals((300 + OVERHEAD_MIB) * MIB, d.steps().get(0).toBytes());
        assertTrue(d.steps().get(0).reason().contains("floor"), d.steps().get(0).reason());
        assertEquals(320 * MIB, d.steps().get(1).toBytes());
        Step there = d.steps().get(2);
        assertEquals(Change.HOLD, there.change(), "already at its floor");
        assertEquals(320 * MIB, there.toBytes());
        assertTrue(there.reason().contains("held at its floor of 320 MiB"), there.reason());
    }

    @Test
    void whatTheGuestCouldStillNeedFromSwapNeverExceedsTheFreeSwapLessTheReserve() {
        // 600 MiB free, 64 kept in reserve: 536 MiB to share out. c's lowered limit still claims
        // 1280 - 1100 - 80 = 100 MiB of it, so 436 MiB are left for a.
        Decision d = SwapControl.decide(Version.V1, swap(1000, 400), List.of(vm("a", 1000, 1200, 0, 1280), vm("b", 50, 1200, 0, 1280),
                vm("c", 0, 1000, 80, 1100)));

        Step a = d.steps().get(0);
        assertEquals(Change.LOWER, a.change());
        assertEquals((1280 - 436) * MIB, a.toBytes(), "a's claim is at most what is left of the free swap");
        assertTrue(a.reason().contains("bounded by the free swap: 600 MiB free"), a.reason());
        Step b = d.steps().get(1);
        assertEquals(Change.HOLD, b.change(), "a took what was left");
        assertTrue(b.reason().contains("free swap"), b.reason());
        assertEquals(2, d.steps().size(), "c asked nothing: its lowered limit stays");
    }

    @Test
    void pagesAlreadyInSwapAreNotClaimedTwice() {
        // a's limit was lowered to 1000 MiB and 200 MiB of it went to swap: the 200 MiB are in
        // "used" already, so a claims only 1280 - 1000 - 200 = 80 MiB of the free 400 - 64
        Step s = only(SwapControl.decide(Version.V1, swap(600, 200), List.of(vm("a", 1000, 800, 200, 1000))));

        assertEquals(Change.LOWER, s.change());
        assertEquals((1280 - 200 - 336) * MIB, s.toBytes());
    }

    @Test
    void theCgroupsOwnSwapLimitBoundsTheLimitToo() {
        Step s = only(SwapControl.decide(Version.V2, swap(8192, 0),
                List.of(vm("a", 1000, 1200, 0, UNLIMITED, 0, 100 * MIB, ""))));

        assertEquals(Change.LOWER, s.change());
        assertEquals(1280 * MIB, s.fromBytes(), "v2's memory.high 'max' reads as the ceiling");
        assertEquals(1180 * MIB, s.toBytes());
        assertTrue(s.reason().contains("its cgroup's swap limit"), s.reason());
    }

    @Test
    void swapInRaisesTheLimitAndRestoresItAtTheCeiling() {
        Decision d = SwapControl.decide(Version.V2, swap(4096, 1000), List.of(vm("up", -100, 500, 300, 800),
                vm("back", -1000, 500, 300, 800), vm("full", -10, 500, 300, 1280)));

        assertEquals(new Step("up", Change.RAISE, -100 * PAGES_PER_MIB, 800 * MIB, 900 * MIB, ""), d.steps().get(0));
        assertEquals(new Step("back", Change.RESTORE, -1000 * PAGES_PER_MIB, 800 * MIB, 1280 * MIB, ""), d.steps().get(1),
                "at most the guest's memory plus the overhead");
        Step full = d.steps().get(2);
        assertEquals(Change.HOLD, full.change());
        assertTrue(full.reason().contains("already"), full.reason());
    }

    @Test
    void withoutSwapSpaceNothingIsCarriedOutAndALoweredLimitIsRestored() {
        Decision none = SwapControl.decide(Version.V1, ProcFs.SwapSpace.NONE, List.of(vm("a", 100, 900, 0, 1280),
                vm("b", 0, 900, 0, 1000), vm("c", -100, 900, 0, 1280)));

        Step a = none.steps().get(0);
        assertEquals(Change.NOT_CARRIED_OUT, a.change());
        assertEquals(1280 * MIB, a.toBytes(), "the limit stays at the guest's memory plus the overhead");
        assertTrue(a.reason().contains("no swap space (/proc/swaps lists none)"), a.reason());
        assertEquals(new Step("b", Change.RESTORE, 0, 1000 * MIB, 1280 * MIB, a.reason()), none.steps().get(1),
                "swap went away under a lowered limit: lifted");
        assertEquals(Change.NOT_CARRIED_OUT, none.steps().get(2).change());
        assertEquals(0, none.swapFreeBytes());

        Step unreadable = only(SwapControl.decide(Version.V1, null, List.of(vm("a", 100, 900, 0, 1280))));
        assertEquals(Change.NOT_CARRIED_OUT, unreadable.change());
        assertTrue(unreadable.reason().contains("cannot be read"), unreadable.reason());
    }

    @Test
    void aCgroupThatCannotSwapIsNotSwapped() {
        Decision d = SwapControl.decide(Version.V1, swap(4096, 0), List.of(
                vm("a", 100, 900, 0, 1280, 0, UNLIMITED, "memory.swappiness is 0"),
                vm("b", 0, 900, 0, 1000, 0, UNLIMITED, "memory.swappiness is 0")));

        assertEquals(Change.NOT_CARRIED_OUT, d.steps().get(0).change());
        assertEquals("memory.swappiness is 0", d.steps().get(0).reason());
        assertEquals(Change.RESTORE, d.steps().get(1).change());
    }

    @Test
    void loweredLimitsAreRestoredWhenTheSwapIsNearlyFull() {
        Decision d = SwapControl.decide(Version.V2, swap(1024, 1000), List.of(vm("a", 100, 900, 300, 1000),
                vm("b", 0, 900, 0, 1280)));

        Step a = only(d);
        assertEquals(Change.RESTORE, a.change(), "24 MiB free is less than the reserve");
        assertTrue(a.reason().contains("below the 64 MiB kept in reserve"), a.reason());

        Step cgroupFull = only(SwapControl.decide(Version.V2, swap(8192, 0), List.of(vm("c", 0, 900, 300, 1000, 0, 0, ""))));
        assertEquals(Change.RESTORE, cgroupFull.change());
        assertTrue(cgroupFull.reason().contains("memory.swap.max"), cgroupFull.reason());
    }

    @Test
    void nothingIsLoweredBeforeTheResidentMemoryIsRead() {
        Step s = only(SwapControl.decide(Version.V1, swap(4096, 0), List.of(vm("a", 100, 0, 0, 1280))));

        assertEquals(Change.HOLD, s.change());
        assertEquals(1280 * MIB, s.toBytes());
    }

    @Test
    void limitsAreWholePages() {
        // 1000 MiB + 1 KiB free: the claim bound falls inside a page and is rounded up
        Decision d = SwapControl.decide(Version.V1, new ProcFs.SwapSpace(1, 1000 * 1024 + 1, 0),
                List.of(vm("a", 1000, 1200, 0, 1280)));

        assertEquals(0, only(d).toBytes() % 4096);
        assertTrue(1280 * MIB - only(d).toBytes() <= (1000 - 64) * MIB + 1024, "the claim stays within the free swap");
    }

    @Test
    void v1LowersMemoryLimitInBytesAndV2MemoryHigh() {
        assertEquals("memory.limit_in_bytes", SwapControl.limitFile(Version.V1));
        assertEquals("memory.high", SwapControl.limitFile(Version.V2), "throttles and reclaims to swap, never OOM-kills");
        assertEquals("memory.high", SwapControl.decide(Version.V2, swap(4096, 0), List.of(vm("a", 100, 900, 0, 1280))).file());
        assertEquals("memory.limit_in_bytes",
                SwapControl.decide(Version.V1, swap(4096, 0), List.of(vm("a", 100, 900, 0, 1280))).file());
    }
}
