package org.vireo.memory.balloon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.vireo.api.memory.MemoryAction;
import org.vireo.api.memory.MemoryOperation;
import org.vireo.api.memory.MemorySnapshot;
import org.vireo.api.memory.MemoryTechnique;
import org.vireo.api.memory.ReclaimRequest;
import org.vireo.api.memory.VmMemory;

class BalloonPlannerTest {
    private final BalloonPlanner planner = new BalloonPlanner(new BalloonSettings(1_000, 500, 50));

    /** A VM of 10,000 configured pages. */
    private static VmMemory vm(String name, long resident, long reserved, long ballooned) {
        return new VmMemory(name, 10_000, reserved, 1000, resident, 0, ballooned, 0, 0.2);
    }

    private static MemorySnapshot host(VmMemory... vms) {
        return new MemorySnapshot("h", 100_000, 0, 1_000, List.of(vms));
    }

    private static ReclaimRequest balloon(String vm, long pages) {
        return new ReclaimRequest(vm, MemoryTechnique.BALLOONING, pages);
    }

    @Test
    void inflatingIsBoundedByTheRatePerVm() {
        assertEquals(List.of(new MemoryAction("a", MemoryOperation.BALLOON_INFLATE, 1_000),
                new MemoryAction("b", MemoryOperation.BALLOON_INFLATE, 300)),
                planner.actions(host(vm("a", 8_000, 0, 0), vm("b", 8_000, 0, 0)),
                        List.of(balloon("a", 4_000), balloon("b", 300))));
    }

    @Test
    void inflatingNeverReachesUnderTheReservation() {
        assertEquals(List.of(new MemoryAction("a", MemoryOperation.BALLOON_INFLATE, 200)),
                planner.actions(host(vm("a", 8_000, 7_800, 0)), List.of(balloon("a", 1_000))));
        assertEquals(List.of(), planner.actions(host(vm("a", 8_000, 8_000, 0)), List.of(balloon("a", 1_000))));
        assertEquals(List.of(), planner.actions(host(vm("a", 5_000, 9_000, 0)), List.of(balloon("a", 1_000))));
    }

    @Test
    void theBalloonStaysWithinItsShareOfTheVm() {
        // at most 50 % of 10,000 pages: 4,700 held, 300 more
        assertEquals(List.of(new MemoryAction("a", MemoryOperation.BALLOON_INFLATE, 300)),
                planner.actions(host(vm("a", 5_300, 0, 4_700)), List.of(balloon("a", 1_000))));
        assertEquals(List.of(), planner.actions(host(vm("a", 5_000, 0, 5_000)), List.of(balloon("a", 1_000))));
    }

    @Test
    void negativeRequestsDeflateWithinRateAndWhatIsHeld() {
        assertEquals(List.of(new MemoryAction("a", MemoryOperation.BALLOON_DEFLATE, 500),
                new MemoryAction("b", MemoryOperation.BALLOON_DEFLATE, 120)),
                planner.actions(host(vm("a", 5_000, 0, 3_000), vm("b", 5_000, 0, 120)),
                        List.of(balloon("a", -2_000), balloon("b", -400))));
        assertEquals(List.of(), planner.actions(host(vm("a", 5_000, 0, 0)), List.of(balloon("a", -400))));
    }

    @Test
    void requestsForOneVmAreNettedAndStrangersIgnored() {
        List<ReclaimRequest> requests = List.of(balloon("a", 700), balloon("ghost", 500), balloon("a", -200),
                new ReclaimRequest("a", MemoryTechnique.SWAPPING, 900), balloon("b", 0));
        assertEquals(List.of(new MemoryAction("a", MemoryOperation.BALLOON_INFLATE, 500)),
                planner.actions(host(vm("a", 8_000, 0, 0), vm("b", 8_000, 0, 0)), requests));
        assertEquals(List.of(), planner.actions(host(vm("a", 8_000, 0, 0)), List.of()));
    }

    @Test
    void actionsNeverExceedAnyBound() {
        Random random = new Random(5);
        for (int round = 0; round < 300; round++) {
            List<VmMemory> vms = new ArrayList<>();
            List<ReclaimRequest> requests = new ArrayList<>();
            for (int i = 0; i < 1 + random.nextInt(6); i++) {
                long ballooned = random.nextInt(7_000);
                vms.add(vm("vm" + i, random.nextInt(10_001), random.nextInt(10_001), ballooned));
                requests.add(balloon("vm" + random.nextInt(8), random.nextInt(6_000) - 3_000));
            }
            for (MemoryAction a : planner.actions(host(vms.toArray(VmMemory[]::new)), requests)) {
                VmMemory v = vms.stream().filter(x -> x.vm().equals(a.vm())).findFirst().orElseThrow();
                assertTrue(a.pages() > 0, a.toString());
                if (a.operation() == MemoryOperation.BALLOON_INFLATE) {
                    assertTrue(a.pages() <= 1_000 && a.pages() <= v.reclaimablePages()
                            && v.balloonedPages() + a.pages() <= 5_000, a + " " + v);
                } else {
                    assertEquals(MemoryOperation.BALLOON_DEFLATE, a.operation());
                    assertTrue(a.pages() <= 500 && a.pages() <= v.balloonedPages(), a + " " + v);
                }
            }
        }
    }
}
