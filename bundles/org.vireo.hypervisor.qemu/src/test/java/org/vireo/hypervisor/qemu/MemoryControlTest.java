package org.vireo.hypervisor.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.vireo.api.hypervisor.CpuFigures;
import org.vireo.api.hypervisor.IoFigures;
import org.vireo.api.hypervisor.MemoryFigures;
import org.vireo.api.hypervisor.VmSnapshot;
import org.vireo.api.memory.MemoryAction;
import org.vireo.api.memory.MemoryOperation;
import org.vireo.api.memory.MemoryReclaimPolicy;
import org.vireo.api.memory.MemoryReuseStrategy;
import org.vireo.api.memory.MemorySnapshot;
import org.vireo.api.memory.MemoryState;
import org.vireo.api.memory.MemoryTechnique;
import org.vireo.api.memory.ReclaimPlan;
import org.vireo.api.memory.ReclaimRequest;
import org.vireo.api.memory.VmMemory;
import org.vireo.api.model.MemoryQos;
import org.vireo.api.model.VmSpec;
import org.vireo.api.model.VmState;

class MemoryControlTest {
    private static final long MIB = MemoryFigures.PAGES_PER_MIB;

    private static VmSnapshot vm(String name, long memoryMiB, long reservationMiB, long residentMiB, long balloonedMiB) {
        VmSpec spec = VmSpec.of(name, 1, memoryMiB).withMemory(new MemoryQos(reservationMiB, 2000));
        MemoryFigures m = new MemoryFigures(memoryMiB * MIB, residentMiB * MIB, 3 * MIB, balloonedMiB * MIB, 0, memoryMiB * MIB / 4,
                Map.of());
        return new VmSnapshot(spec, VmState.RUNNING, CpuFigures.NONE, m, IoFigures.NONE, "");
    }

    private static MemoryReuseStrategy strategy(MemoryTechnique technique,
            BiFunction<MemorySnapshot, List<ReclaimRequest>, List<MemoryAction>> actions) {
        return new MemoryReuseStrategy() {
            @Override
            public MemoryTechnique technique() {
                return technique;
            }

            @Override
            public List<MemoryAction> actions(MemorySnapshot host, List<ReclaimRequest> requests) {
                return actions.apply(host, requests);
            }
        };
    }

    /** Passes BALLOONING requests through as inflate (positive) and deflate (negative) operations. */
    private static final MemoryReuseStrategy BALLOON = strategy(MemoryTechnique.BALLOONING, (host, requests) -> {
        List<MemoryAction> out = new ArrayList<>();
        for (ReclaimRequest r : requests) {
            out.add(new MemoryAction(r.vm(), r.pages() > 0 ? MemoryOperation.BALLOON_INFLATE : MemoryOperation.BALLOON_DEFLATE,
                    Math.abs(r.pages())));
        }
        return out;
    });

    private static MemoryReclaimPolicy policy(List<ReclaimRequest> requests, AtomicReference<Set<MemoryTechnique>> seen) {
        return (host, available) -> {
            seen.set(available);
            return new ReclaimPlan(MemoryState.SOFT, requests);
        };
    }

    @Test
    void theSnapshotCarriesTheFiguresReadBack() {
        MemorySnapshot s = MemoryControl.snapshot("h1", 8192 * MIB, 512 * MIB, 1000 * MIB, List.of(vm("a", 512, 128, 300, 64)));

        VmMemory a = s.vms().get(0);
        assertEquals(new VmMemory("a", 512 * MIB, 128 * MIB, 2000, 300 * MIB, 3 * MIB, 64 * MIB, 0, 0.25), a);
        assertEquals(1000 * MIB, s.freePages());
        assertEquals(512 * MIB, s.hypervisorPages());
    }

    @Test
    void balloonRequestsMoveTheTargetFromWhatTheGuestHolds() {
        AtomicReference<Set<MemoryTechnique>> seen = new AtomicReference<>();
        MemorySnapshot s = MemoryControl.snapshot("h1", 8192 * MIB, 0, 100 * MIB,
                List.of(vm("a", 512, 0, 400, 64), vm("b", 512, 0, 400, 200)));
        MemoryReclaimPolicy p = policy(List.of(new ReclaimRequest("a", MemoryTechnique.BALLOONING, 128 * MIB),
                new ReclaimRequest("b", MemoryTechnique.BALLOONING, -100 * MIB)), seen);

        MemoryControl.Outcome o = MemoryControl.decide(s, Optional.of(p), List.of(BALLOON));

        assertEquals(Set.of(MemoryTechnique.BALLOONING), seen.get(), "the policy sees the installed techniques");
        assertEquals((512 - 64 - 128) * 1024L * 1024, o.balloonTargetBytes().get("a"), "a holds 448 MiB and gives 128 more");
        assertEquals((512 - 200 + 100) * 1024L * 1024, o.balloonTargetBytes().get("b"), "b gets 100 MiB back");
        assertEquals(MemoryState.SOFT, o.plan().orElseThrow().state());
        assertEquals("", o.problem());
    }

    @Test
    void aBalloonNeverTakesAGuestBelowItsReservationOrSixtyFourMiB() {
        AtomicReference<Set<MemoryTechnique>> seen = new AtomicReference<>();
        MemorySnapshot s = MemoryControl.snapshot("h1", 8192 * MIB, 0, 0,
                List.of(vm("a", 512, 0, 500, 0), vm("r", 512, 300, 500, 0), vm("full", 512, 0, 500, 0)));
        MemoryReclaimPolicy p = policy(List.of(new ReclaimRequest("a", MemoryTechnique.BALLOONING, 1000 * MIB),
                new ReclaimRequest("r", MemoryTechnique.BALLOONING, 1000 * MIB),
                new ReclaimRequest("full", MemoryTechnique.BALLOONING, -10 * MIB)), seen);

        MemoryControl.Outcome o = MemoryControl.decide(s, Optional.of(p), List.of(BALLOON));

        assertEquals(64L << 20, o.balloonTargetBytes().get("a"));
        assertEquals(300L << 20, o.balloonTargetBytes().get("r"));
        assertTrue(!o.balloonTargetBytes().containsKey("full"), "a guest holding all its memory gets no larger");
    }

    @Test
    void sharingScansEveryIntervalEvenWithoutAPolicyAndOnlyTheFirstStrategyOfATechniqueRuns() {
        MemorySnapshot s = MemoryControl.snapshot("h1", 8192 * MIB, 0, 4000 * MIB, List.of(vm("a", 512, 0, 400, 0), vm("b", 512, 0, 400, 0)));
        MemoryReuseStrategy sharing = strategy(MemoryTechnique.SHARING, (host, requests) -> List.of(
                new MemoryAction("a", MemoryOperation.SHARE_SCAN, 1000), new MemoryAction("b", MemoryOperation.SHARE_SCAN, 500)));
        MemoryReuseStrategy second = strategy(MemoryTechnique.SHARING, (host, requests) -> List.of(
                new MemoryAction("a", MemoryOperation.SHARE_SCAN, 99_999)));

        MemoryControl.Outcome o = MemoryControl.decide(s, Optional.empty(), List.of(sharing, second));

        assertEquals(1500, o.scanPages());
        assertTrue(o.plan().isEmpty());
        assertTrue(o.balloonTargetBytes().isEmpty());
    }

    @Test
    void swapOperationsAreNettedPerVmInTheOrderAskedForTheSwapDecision() {
        AtomicReference<Set<MemoryTechnique>> seen = new AtomicReference<>();
        MemorySnapshot s = MemoryControl.snapshot("h1", 8192 * MIB, 0, 0,
                List.of(vm("a", 512, 0, 500, 0), vm("b", 512, 0, 500, 0), vm("c", 512, 0, 500, 0)));
        MemoryReuseStrategy swap = strategy(MemoryTechnique.SWAPPING, (host, requests) -> List.of(
                new MemoryAction("b", MemoryOperation.SWAP_OUT, 256), new MemoryAction("a", MemoryOperation.SWAP_IN, 100),
                new MemoryAction("b", MemoryOperation.SWAP_IN, 56), new MemoryAction("c", MemoryOperation.SWAP_OUT, 10),
                new MemoryAction("c", MemoryOperation.SWAP_IN, 10), new MemoryAction("a", MemoryOperation.SWAP_OUT, 1L << 40),
                new MemoryAction("gone", MemoryOperation.SWAP_OUT, 10)));

        MemoryControl.Outcome o = MemoryControl.decide(s, Optional.of(policy(
                List.of(new ReclaimRequest("a", MemoryTechnique.SWAPPING, 256)), seen)), List.of(swap));

        assertEquals(List.of("b", "a"), List.copyOf(o.swapPages().keySet()), "in the order asked; c nets to nothing");
        assertEquals(200, o.swapPages().get("b"));
        assertEquals(512 * MIB - 100, o.swapPages().get("a"), "an operation counts at most the VM's memory");
        assertTrue(o.notCarriedOut().isEmpty(), "swap is decided by SwapControl, not reported here: " + o.notCarriedOut());
    }

    @Test
    void compressionIsReportedNotCarriedOut() {
        MemorySnapshot s = MemoryControl.snapshot("h1", 8192 * MIB, 0, 0, List.of(vm("a", 512, 0, 500, 0)));
        MemoryReuseStrategy compress = strategy(MemoryTechnique.COMPRESSION, (host, requests) -> List.of(
                new MemoryAction("a", MemoryOperation.COMPRESS, 256)));

        MemoryControl.Outcome o = MemoryControl.decide(s, Optional.empty(), List.of(compress));

        assertEquals(List.of("a: COMPRESS of 256 pages"), o.notCarriedOut());
        assertTrue(o.swapPages().isEmpty());
    }

    @Test
    void aFailingPolicyOrStrategyIsNamedAndTheOthersStillRun() {
        MemorySnapshot s = MemoryControl.snapshot("h1", 8192 * MIB, 0, 0, List.of(vm("a", 512, 0, 500, 0)));
        MemoryReclaimPolicy broken = (host, available) -> {
            throw new IllegalStateException("no plan");
        };
        MemoryReuseStrategy sharing = strategy(MemoryTechnique.SHARING, (host, requests) -> List.of(
                new MemoryAction("a", MemoryOperation.SHARE_SCAN, 10)));
        MemoryReuseStrategy failing = strategy(MemoryTechnique.BALLOONING, (host, requests) -> {
            throw new IllegalArgumentException("bad");
        });

        MemoryControl.Outcome o = MemoryControl.decide(s, Optional.of(broken), List.of(failing, sharing));

        assertTrue(o.problem().contains("no plan") && o.problem().contains("bad"), o.problem());
        assertEquals(10, o.scanPages());
    }
}
