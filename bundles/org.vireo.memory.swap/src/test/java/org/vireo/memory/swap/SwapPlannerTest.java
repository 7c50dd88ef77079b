package org.vireo.memory.swap;

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

class SwapPlannerTest {
    private final SwapPlanner planner = new SwapPlanner(new SwapSettings(1_000, 600));

    private static VmMemory vm(String name, long resident, long reserved, long swapped) {
        return new VmMemory(name, 20_000, reserved, 1000, resident, 0, 0, swapped, 0.2);
    }

    private static MemorySnapshot host(VmMemory... vms) {
        return new MemorySnapshot("h", 100_000, 0, 1_000, List.of(vms));
    }

    private static ReclaimRequest swap(String vm, long pages) {
        return new ReclaimRequest(vm, MemoryTechnique.SWAPPING, pages);
    }

    private static MemoryAction out(String vm, long pages) {
        return new MemoryAction(vm, MemoryOperation.SWAP_OUT, pages);
    }

    @Test
    void theHostsSwapOutBudgetIsSharedInRequestOrder() {
        assertEquals(List.of(out("b", 700), out("a", 300)),
                planner.actions(host(vm("a", 10_000, 0, 0), vm("b", 10_000, 0, 0)),
                        List.of(swap("b", 700), swap("a", 700))));
    }

    @Test
    void swappingNeverReachesUnderTheReservation() {
        assertEquals(List.of(out("a", 50)), planner.actions(host(vm("a", 10_000, 9_950, 0)), List.of(swap("a", 800))));
        assertEquals(List.of(), planner.actions(host(vm("a", 10_000, 12_000, 0)), List.of(swap("a", 800))));
    }

    @Test
    void negativeRequestsSwapInWithinBudgetAndWhatIsSwapped() {
        assertEquals(List.of(new MemoryAction("a", MemoryOperation.SWAP_IN, 100),
                new MemoryAction("b", MemoryOperation.SWAP_IN, 500)),
                planner.actions(host(vm("a", 1_000, 0, 100), vm("b", 1_000, 0, 5_000)),
                        List.of(swap("a", -400), swap("b", -5_000))));
    }

    @Test
    void requestsForOneVmAreNettedAndStrangersIgnored() {
        List<ReclaimRequest> requests = List.of(swap("ghost", 500), swap("a", 300), swap("a", 200),
                new ReclaimRequest("a", MemoryTechnique.BALLOONING, 900), swap("b", 10), swap("b", -10));
        assertEquals(List.of(out("a", 500)), planner.actions(host(vm("a", 10_000, 0, 0), vm("b", 10_000, 0, 50)),
                requests));
    }

    @Test
    void actionsNeverExceedAnyBound() {
        Random random = new Random(9);
        for (int round = 0; round < 300; round++) {
            List<VmMemory> vms = new ArrayList<>();
            List<ReclaimRequest> requests = new ArrayList<>();
            for (int i = 0; i < 1 + random.nextInt(6); i++) {
                vms.add(vm("vm" + i, random.nextInt(3_000), random.nextInt(3_000), random.nextInt(2_000)));
                requests.add(swap("vm" + random.nextInt(8), random.nextInt(2_000) - 1_000));
            }
            List<MemoryAction> actions = planner.actions(host(vms.toArray(VmMemory[]::new)), requests);
            long outTotal = 0;
            long inTotal = 0;
            for (MemoryAction a : actions) {
                VmMemory v = vms.stream().filter(x -> x.vm().equals(a.vm())).findFirst().orElseThrow();
                assertTrue(a.pages() > 0, a.toString());
                if (a.operation() == MemoryOperation.SWAP_OUT) {
                    assertTrue(a.pages() <= v.reclaimablePages(), a + " " + v);
                    outTotal += a.pages();
                } else {
                    assertEquals(MemoryOperation.SWAP_IN, a.operation());
                    assertTrue(a.pages() <= v.swappedPages(), a + " " + v);
                    inTotal += a.pages();
                }
            }
            assertTrue(outTotal <= 1_000 && inTotal <= 600, outTotal + "/" + inTotal);
        }
    }
}
