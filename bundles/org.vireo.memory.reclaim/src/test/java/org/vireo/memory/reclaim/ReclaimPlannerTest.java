package org.vireo.memory.reclaim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.vireo.api.memory.MemorySnapshot;
import org.vireo.api.memory.MemoryState;
import org.vireo.api.memory.MemoryTechnique;
import org.vireo.api.memory.ReclaimPlan;
import org.vireo.api.memory.ReclaimRequest;
import org.vireo.api.memory.VmMemory;

class ReclaimPlannerTest {
    private static final long TOTAL = 100_000;
    private static final Set<MemoryTechnique> ALL = EnumSet.allOf(MemoryTechnique.class);
    private static final Set<MemoryTechnique> BALLOON = EnumSet.of(MemoryTechnique.SHARING, MemoryTechnique.BALLOONING);
    private static final Set<MemoryTechnique> SWAP = EnumSet.of(MemoryTechnique.SHARING, MemoryTechnique.SWAPPING);

    private final ReclaimPlanner planner = new ReclaimPlanner(ReclaimSettings.DEFAULTS);

    private static VmMemory vm(String name, int shares, long resident, long reserved, double active) {
        return held(name, shares, resident, reserved, active, 0, 0);
    }

    private static VmMemory held(String name, int shares, long resident, long reserved, double active,
            long ballooned, long swapped) {
        return new VmMemory(name, resident + ballooned + swapped, reserved, shares, resident, 0, ballooned, swapped,
                active);
    }

    private static MemorySnapshot host(long free, VmMemory... vms) {
        return new MemorySnapshot("h", TOTAL, 1000, free, List.of(vms));
    }

    private static long sum(ReclaimPlan plan, String vm, MemoryTechnique technique) {
        return plan.requests().stream().filter(r -> r.vm().equals(vm) && r.technique() == technique)
                .mapToLong(ReclaimRequest::pages).sum();
    }

    private static long sum(ReclaimPlan plan, String vm) {
        return plan.requests().stream().filter(r -> r.vm().equals(vm)).mapToLong(ReclaimRequest::pages).sum();
    }

    private static long total(ReclaimPlan plan) {
        return plan.requests().stream().mapToLong(ReclaimRequest::pages).sum();
    }

    private static double rhoByFormula(int shares, long pages, double f) {
        double k = 1 / (1 - 0.75);
        return shares / (pages * (f + k * (1 - f)));
    }

    @Test
    void theIdleVmWithTheLowestRhoGivesFirstThoughItHasMoreShares() {
        VmMemory idle = vm("idle", 2000, 40_000, 0, 0.1);
        VmMemory busy = vm("busy", 1000, 40_000, 0, 0.9);
        double rhoIdle = rhoByFormula(2000, 40_000, 0.1);
        double rhoBusy = rhoByFormula(1000, 40_000, 0.9);
        assertTrue(rhoIdle < rhoBusy, rhoIdle + " < " + rhoBusy);
        assertEquals(rhoIdle, new IdleTax(0.75).rho(idle), 1e-15);
        assertEquals(rhoBusy, new IdleTax(0.75).rho(busy), 1e-15);

        // SOFT at 5.5 % free: 500 pages to reach 6 %
        ReclaimPlan plan = planner.plan(host(5_500, busy, idle), ALL);
        assertEquals(MemoryState.SOFT, plan.state());
        assertEquals(List.of(new ReclaimRequest("idle", MemoryTechnique.BALLOONING, 500)), plan.requests());
    }

    @Test
    void rhoIsRecomputedAsPagesAreTaken() {
        VmMemory idle = vm("idle", 2000, 10_000, 0, 0.1);
        VmMemory busy = vm("busy", 1000, 10_000, 0, 0.9);
        // HARD at 1 % free... use LOW: 0 free, goal 4 % = 4000 pages, balloon only
        ReclaimPlan plan = planner.plan(host(0, idle, busy), BALLOON);
        assertEquals(MemoryState.LOW, plan.state());
        long fromIdle = sum(plan, "idle");
        long fromBusy = sum(plan, "busy");
        assertEquals(4_000, fromIdle + fromBusy);
        // idle alone until its ρ reaches busy's (at 2750 pages), then both so that ρ stays level
        assertTrue(fromIdle > 2_750 && fromBusy > 0, fromIdle + "/" + fromBusy);
        IdleTax tax = new IdleTax(0.75);
        assertTrue(tax.rhoAt(idle, 10_000 - fromIdle + 1) <= tax.rhoAt(busy, 10_000 - fromBusy));
        assertTrue(tax.rhoAt(busy, 10_000 - fromBusy + 1) <= tax.rhoAt(idle, 10_000 - fromIdle));
        assertEquals("idle", plan.requests().get(0).vm());
    }

    @Test
    void reservationsAreNeverRequestedEvenWhenLow() {
        VmMemory reserved = vm("reserved", 10, 30_000, 30_000, 0.0);
        VmMemory partly = vm("partly", 10, 30_000, 26_000, 0.0);
        VmMemory free = vm("free", 100_000, 30_000, 0, 1.0);
        ReclaimPlan plan = planner.plan(host(0, reserved, partly, free), ALL);
        assertEquals(MemoryState.LOW, plan.state());
        assertEquals(0, sum(plan, "reserved"));
        assertEquals(4_000, sum(plan, "partly"));
        assertEquals(0, sum(plan, "free"));
        assertTrue(plan.requests().stream().allMatch(r -> r.pages() > 0));

        // a goal beyond everything reclaimable takes everything reclaimable and no more
        VmMemory small = vm("small", 1000, 2_000, 1_500, 0.5);
        plan = planner.plan(host(0, reserved, small), ALL);
        assertEquals(500, sum(plan, "small"));
        assertEquals(500, total(plan));
    }

    @Test
    void techniquesFollowTheState() {
        VmMemory a = vm("a", 1000, 50_000, 0, 0.5);
        ReclaimPlan high = planner.plan(host(6_000, a), ALL);
        assertEquals(MemoryState.HIGH, high.state());
        assertEquals(List.of(), high.requests());

        ReclaimPlan soft = planner.plan(host(5_000, a), ALL);
        assertEquals(MemoryState.SOFT, soft.state());
        assertEquals(List.of(new ReclaimRequest("a", MemoryTechnique.BALLOONING, 1_000)), soft.requests());

        ReclaimPlan hard = planner.plan(host(3_000, a), ALL);
        assertEquals(MemoryState.HARD, hard.state());
        assertEquals(List.of(new ReclaimRequest("a", MemoryTechnique.BALLOONING, 500),
                new ReclaimRequest("a", MemoryTechnique.SWAPPING, 500)), hard.requests());

        ReclaimPlan low = planner.plan(host(1_000, a), ALL);
        assertEquals(MemoryState.LOW, low.state());
        assertEquals(List.of(new ReclaimRequest("a", MemoryTechnique.BALLOONING, 750),
                new ReclaimRequest("a", MemoryTechnique.SWAPPING, 2_250)), low.requests());
    }

    @Test
    void onlyAvailableTechniquesAreNamed() {
        VmMemory a = vm("a", 1000, 50_000, 0, 0.5);
        assertEquals(List.of(), planner.plan(host(5_000, a), SWAP).requests());
        assertEquals(List.of(new ReclaimRequest("a", MemoryTechnique.SWAPPING, 1_000)),
                planner.plan(host(3_000, a), SWAP).requests());
        assertEquals(List.of(new ReclaimRequest("a", MemoryTechnique.BALLOONING, 3_000)),
                planner.plan(host(1_000, a), BALLOON).requests());
        assertEquals(List.of(), planner.plan(host(1_000, a), EnumSet.of(MemoryTechnique.SHARING)).requests());
        assertEquals(List.of(), planner.plan(host(1_000, a), Set.of()).requests());
        assertEquals(MemoryState.LOW, planner.plan(host(1_000, a), Set.of()).state());
        assertTrue(planner.plan(host(0, a), ALL).requests().stream()
                .noneMatch(r -> r.technique() == MemoryTechnique.SHARING || r.technique() == MemoryTechnique.COMPRESSION));
    }

    @Test
    void requestsAddUpToTheGoalBoundedByWhatIsReclaimable() {
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            List<VmMemory> vms = new ArrayList<>();
            long reclaimable = 0;
            for (int i = 0; i < 1 + random.nextInt(8); i++) {
                long resident = random.nextInt(20_000);
                long reserved = random.nextInt(20_000);
                VmMemory v = vm("vm" + i, 1 + random.nextInt(5000), resident, reserved, random.nextDouble());
                vms.add(v);
                reclaimable += v.reclaimablePages();
            }
            long free = random.nextInt(7_000);
            ReclaimPlan plan = planner.plan(new MemorySnapshot("h", TOTAL, 0, free, vms), ALL);
            long goal = ReclaimSettings.DEFAULTS.goalPages(plan.state(), TOTAL);
            long expected = plan.state() == MemoryState.HIGH ? 0 : Math.min(goal - free, reclaimable);
            assertEquals(expected, total(plan), "round " + round);
            for (VmMemory v : vms) {
                assertTrue(sum(plan, v.vm()) <= v.reclaimablePages(), v.toString());
            }
            assertTrue(plan.requests().stream().allMatch(r -> r.pages() > 0));
        }
    }

    @Test
    void reclaimedPagesGoBackGraduallyOnceRelieved() {
        VmMemory swapped = held("swapped", 1000, 20_000, 0, 0.5, 0, 3_000);
        VmMemory both = held("both", 1000, 20_000, 0, 0.5, 10_000, 1_000);
        // 20 % free: 12,000 pages above the 8 % give-back level, half of them go back
        ReclaimPlan plan = planner.plan(host(20_000, swapped, both), ALL);
        assertEquals(MemoryState.HIGH, plan.state());
        assertEquals(-6_000, total(plan));
        assertTrue(plan.requests().stream().allMatch(r -> r.pages() < 0));
        // swap-in before deflate
        assertEquals(-1_000, sum(plan, "both", MemoryTechnique.SWAPPING));
        assertEquals(-3_000, sum(plan, "swapped", MemoryTechnique.SWAPPING));
        assertEquals(-2_000, sum(plan, "both", MemoryTechnique.BALLOONING));

        // all that is held, no more
        plan = planner.plan(host(80_000, swapped, both), ALL);
        assertEquals(-14_000, total(plan));
    }

    @Test
    void pagesGoBackToTheHighestRhoFirst() {
        VmMemory busy = held("busy", 1000, 10_000, 0, 1.0, 5_000, 0);
        VmMemory idle = held("idle", 1000, 10_000, 0, 0.0, 5_000, 0);
        ReclaimPlan plan = planner.plan(host(10_000, idle, busy), ALL);
        // 2,000 above 8 %, 1,000 go back: busy (ρ = 0.1) before idle (ρ = 0.025)
        assertEquals(List.of(new ReclaimRequest("busy", MemoryTechnique.BALLOONING, -1_000)), plan.requests());
    }

    @Test
    void nothingGoesBackBetweenTheHighAndTheGiveBackLevel() {
        VmMemory v = held("v", 1000, 10_000, 0, 0.5, 5_000, 5_000);
        assertEquals(List.of(), planner.plan(host(8_000, v), ALL).requests());
        assertEquals(List.of(), planner.plan(host(6_000, v), ALL).requests());
        assertEquals(MemoryState.HIGH, planner.plan(host(6_000, v), ALL).state());
    }

    @Test
    void givingBackNamesOnlyAvailableTechniques() {
        VmMemory v = held("v", 1000, 10_000, 0, 0.5, 5_000, 5_000);
        ReclaimPlan plan = planner.plan(host(50_000, v), BALLOON);
        assertEquals(List.of(new ReclaimRequest("v", MemoryTechnique.BALLOONING, -5_000)), plan.requests());
        assertEquals(List.of(), planner.plan(host(50_000, v), EnumSet.of(MemoryTechnique.SHARING)).requests());
    }

    @Test
    void aRaisedReservationIsRestoredFirstInAnyState() {
        // resident 8,000 under a 10,000 reservation: 1,500 back from swap, 500 from the balloon
        VmMemory raised = held("raised", 1000, 8_000, 10_000, 0.5, 4_000, 1_500);
        VmMemory other = vm("other", 1000, 50_000, 0, 0.5);
        ReclaimPlan plan = planner.plan(host(5_000, raised, other), ALL);
        assertEquals(MemoryState.SOFT, plan.state());
        assertEquals(new ReclaimRequest("raised", MemoryTechnique.SWAPPING, -1_500), plan.requests().get(0));
        assertEquals(new ReclaimRequest("raised", MemoryTechnique.BALLOONING, -500), plan.requests().get(1));
        // the goal (1,000) plus what the reservation takes back (2,000) comes from the other VM
        assertEquals(3_000, sum(plan, "other", MemoryTechnique.BALLOONING));
    }

    @Test
    void theOrderOfVmsInTheSnapshotDoesNotMatter() {
        List<VmMemory> vms = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            vms.add(held("vm" + i, 1000, 10_000, 1_000 * i, 0.5, 0, 0));
        }
        ReclaimPlan first = planner.plan(new MemorySnapshot("h", TOTAL, 0, 1_000, vms), ALL);
        Collections.shuffle(vms, new Random(3));
        assertEquals(first, planner.plan(new MemorySnapshot("h", TOTAL, 0, 1_000, vms), ALL));
    }

    @Test
    void anEmptyHostPlansNothing() {
        assertEquals(new ReclaimPlan(MemoryState.LOW, List.of()), planner.plan(host(0), ALL));
        assertEquals(new ReclaimPlan(MemoryState.LOW, List.of()),
                planner.plan(new MemorySnapshot("h", 0, 0, 0, List.of()), ALL));
    }
}
