package org.vireo.memory.sharing;

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

class ScanPlannerTest {
    private static VmMemory vm(String name, long resident) {
        return new VmMemory(name, resident, 0, 1000, resident, 0, 0, 0, 0.5);
    }

    private static MemorySnapshot host(VmMemory... vms) {
        return new MemorySnapshot("h", 1_000_000, 0, 10_000, List.of(vms));
    }

    private static MemoryAction scan(String vm, long pages) {
        return new MemoryAction(vm, MemoryOperation.SHARE_SCAN, pages);
    }

    @Test
    void theBudgetIsSpreadInProportionToResidentPages() {
        List<MemoryAction> actions = new ScanPlanner(6_000).actions(host(vm("a", 10_000), vm("b", 20_000),
                vm("c", 30_000)), List.of());
        assertEquals(List.of(scan("a", 1_000), scan("b", 2_000), scan("c", 3_000)), actions);
    }

    @Test
    void roundingGivesLeftoverPagesToTheLargestRemaindersThenInSnapshotOrder() {
        // 10 pages over three equal VMs: 4, 3, 3
        assertEquals(List.of(scan("a", 4), scan("b", 3), scan("c", 3)),
                new ScanPlanner(10).actions(host(vm("a", 900), vm("b", 900), vm("c", 900)), List.of()));
        // 10 * 100/300 = 3.33, 10 * 200/300 = 6.67: the larger remainder takes the page
        assertEquals(List.of(scan("a", 3), scan("b", 7)),
                new ScanPlanner(10).actions(host(vm("a", 100), vm("b", 200)), List.of()));
    }

    @Test
    void noVmIsScannedBeyondItsResidentPagesAndTheRestGoesToOthers() {
        // 10,000 * 100 / 100,100 = 9.99 pages for small, rounded up by its larger remainder
        List<MemoryAction> actions = new ScanPlanner(10_000).actions(host(vm("small", 100), vm("big", 100_000),
                vm("empty", 0)), List.of());
        assertEquals(List.of(scan("small", 10), scan("big", 9_990)), actions);

        // a request used most of small's room: its proportional part is capped at the 5 pages left
        actions = new ScanPlanner(20_000).actions(host(vm("small", 100), vm("big", 1_000)),
                List.of(new ReclaimRequest("small", MemoryTechnique.SHARING, 95)));
        assertEquals(List.of(scan("small", 100), scan("big", 1_000)), actions);
        actions = new ScanPlanner(1_000).actions(host(vm("small", 100), vm("big", 10_000)),
                List.of(new ReclaimRequest("small", MemoryTechnique.SHARING, 95)));
        assertEquals(List.of(scan("small", 100), scan("big", 900)), actions);

        // more budget than memory: everything once
        assertEquals(List.of(scan("small", 100), scan("big", 100_000)),
                new ScanPlanner(1_000_000).actions(host(vm("small", 100), vm("big", 100_000)), List.of()));
    }

    @Test
    void sharingRequestsAreServedFirstOthersIgnored() {
        List<ReclaimRequest> requests = List.of(new ReclaimRequest("b", MemoryTechnique.SHARING, 700),
                new ReclaimRequest("a", MemoryTechnique.BALLOONING, 500),
                new ReclaimRequest("ghost", MemoryTechnique.SHARING, 500),
                new ReclaimRequest("a", MemoryTechnique.SHARING, -5));
        List<MemoryAction> actions = new ScanPlanner(1_000).actions(host(vm("a", 5_000), vm("b", 5_000)), requests);
        assertEquals(List.of(scan("a", 150), scan("b", 850)), actions);
    }

    @Test
    void theScanIsDeterministicAndWithinBudget() {
        Random random = new Random(11);
        for (int round = 0; round < 200; round++) {
            List<VmMemory> vms = new ArrayList<>();
            long resident = 0;
            for (int i = 0; i < 1 + random.nextInt(10); i++) {
                vms.add(vm("vm" + i, random.nextInt(50_000)));
                resident += vms.get(i).residentPages();
            }
            long budget = random.nextInt(200_000);
            MemorySnapshot host = new MemorySnapshot("h", 1_000_000, 0, 0, vms);
            List<MemoryAction> actions = new ScanPlanner(budget).actions(host, List.of());
            assertEquals(actions, new ScanPlanner(budget).actions(host, List.of()));
            assertEquals(Math.min(budget, resident), actions.stream().mapToLong(MemoryAction::pages).sum());
            for (MemoryAction a : actions) {
                VmMemory v = vms.stream().filter(x -> x.vm().equals(a.vm())).findFirst().orElseThrow();
                assertTrue(a.pages() > 0 && a.pages() <= v.residentPages(), a.toString());
                assertEquals(MemoryOperation.SHARE_SCAN, a.operation());
            }
        }
    }

    @Test
    void aPausedScannerOrAnEmptyHostDoesNothing() {
        assertEquals(List.of(), new ScanPlanner(0).actions(host(vm("a", 5_000)), List.of()));
        assertEquals(List.of(), new ScanPlanner(1_000).actions(host(), List.of()));
    }
}
