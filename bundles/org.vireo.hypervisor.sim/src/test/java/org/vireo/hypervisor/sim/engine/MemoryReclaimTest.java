package org.vireo.hypervisor.sim.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.vireo.api.cpu.CpuQosPolicy;
import org.vireo.api.hypervisor.HypervisorEvent;
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
import org.vireo.api.model.DatastoreSpec;
import org.vireo.api.model.DiskSpec;
import org.vireo.api.model.HostSpec;
import org.vireo.api.model.HypervisorKind;
import org.vireo.api.model.MemoryQos;
import org.vireo.api.model.VmSpec;

class MemoryReclaimTest {
    private static final int MIB = 256;

    /** A reclaim policy that records what it was given and answers with a function of the snapshot. */
    private static final class Policy implements MemoryReclaimPolicy {
        final List<MemorySnapshot> snapshots = new CopyOnWriteArrayList<>();
        final List<Set<MemoryTechnique>> available = new CopyOnWriteArrayList<>();
        private final Function<MemorySnapshot, List<ReclaimRequest>> requests;

        Policy(Function<MemorySnapshot, List<ReclaimRequest>> requests) {
            this.requests = requests;
        }

        @Override
        public ReclaimPlan plan(MemorySnapshot host, Set<MemoryTechnique> techniques) {
            snapshots.add(host);
            available.add(techniques);
            return new ReclaimPlan(host.freePages() == 0 ? MemoryState.LOW : MemoryState.HIGH, requests.apply(host));
        }
    }

    /** A strategy that records the requests it got and turns them into actions by a function. */
    private static final class Strategy implements MemoryReuseStrategy {
        final List<List<ReclaimRequest>> calls = new CopyOnWriteArrayList<>();
        private final MemoryTechnique technique;
        private final BiFunction<MemorySnapshot, List<ReclaimRequest>, List<MemoryAction>> actions;

        Strategy(MemoryTechnique technique, BiFunction<MemorySnapshot, List<ReclaimRequest>, List<MemoryAction>> actions) {
            this.technique = technique;
            this.actions = actions;
        }

        @Override
        public MemoryTechnique technique() {
            return technique;
        }

        @Override
        public List<MemoryAction> actions(MemorySnapshot host, List<ReclaimRequest> requests) {
            calls.add(requests);
            return actions.apply(host, requests);
        }
    }

    /** Turns each request into the matching operation, as many pages as asked. */
    private static List<MemoryAction> literal(MemorySnapshot host, List<ReclaimRequest> requests) {
        List<MemoryAction> out = new ArrayList<>();
        for (ReclaimRequest r : requests) {
            MemoryOperation op = switch (r.technique()) {
                case BALLOONING -> r.pages() > 0 ? MemoryOperation.BALLOON_INFLATE : MemoryOperation.BALLOON_DEFLATE;
                case SWAPPING -> r.pages() > 0 ? MemoryOperation.SWAP_OUT : MemoryOperation.SWAP_IN;
                case SHARING -> MemoryOperation.SHARE_SCAN;
                case COMPRESSION -> MemoryOperation.COMPRESS;
            };
            out.add(new MemoryAction(r.vm(), op, Math.abs(r.pages())));
        }
        return out;
    }

    private static Strategy scanner(long pagesPerVm) {
        return new Strategy(MemoryTechnique.SHARING, (host, requests) -> host.vms().stream()
                .map(v -> new MemoryAction(v.vm(), MemoryOperation.SHARE_SCAN, pagesPerVm)).toList());
    }

    /** A policy source whose answers the test changes while the engine runs. */
    private static final class Switchboard implements PolicySource {
        volatile MemoryReclaimPolicy policy;
        volatile List<MemoryReuseStrategy> strategies = List.of();

        @Override
        public Optional<CpuQosPolicy> cpuPolicy() {
            return Optional.empty();
        }

        @Override
        public Optional<MemoryReclaimPolicy> reclaimPolicy() {
            return Optional.ofNullable(policy);
        }

        @Override
        public List<MemoryReuseStrategy> reuseStrategies() {
            return strategies;
        }
    }

    @Test
    void eachHostAsksThePolicyOncePerReclaimIntervalAndEachStrategyGetsOnlyItsTechniquesRequests() {
        Policy policy = new Policy(host -> List.of(new ReclaimRequest("a", MemoryTechnique.BALLOONING, 100),
                new ReclaimRequest("a", MemoryTechnique.SWAPPING, 50), new ReclaimRequest("b", MemoryTechnique.BALLOONING, 10)));
        Strategy sharing = scanner(5000);
        Strategy balloon = new Strategy(MemoryTechnique.BALLOONING, MemoryReclaimTest::literal);
        Strategy swap = new Strategy(MemoryTechnique.SWAPPING, MemoryReclaimTest::literal);
        Strategy shadowed = new Strategy(MemoryTechnique.BALLOONING, MemoryReclaimTest::literal);
        SimEngine e = new SimEngine(1, 1000, PolicySource.of(null, policy, List.of(sharing, balloon, swap, shadowed)), 1);
        e.reclaimIntervalMillis(3000);
        for (String h : List.of("h1", "h2")) {
            e.attach(Fixtures.host(h, 4, 1000, 8192), Fixtures.BARE);
        }
        e.start("h1", Fixtures.vm("a", 1, 512, "idle"));
        e.start("h1", Fixtures.vm("b", 1, 512, "idle"));
        e.start("h2", Fixtures.vm("c", 1, 512, "idle"));

        e.advance(9000);

        assertEquals(6, policy.snapshots.size(), "2 hosts x reclaim at 1 s, 4 s, 7 s");
        assertEquals(EnumSet.of(MemoryTechnique.SHARING, MemoryTechnique.BALLOONING, MemoryTechnique.SWAPPING),
                policy.available.get(0));
        assertEquals(6, sharing.calls.size(), "sharing is called on every host every round");
        assertTrue(sharing.calls.stream().allMatch(List::isEmpty), "the policy asked nothing of sharing");
        assertTrue(shadowed.calls.isEmpty(), "of two strategies of one technique only the higher-ranked runs");
        for (List<ReclaimRequest> r : balloon.calls) {
            assertTrue(r.stream().allMatch(q -> q.technique() == MemoryTechnique.BALLOONING), r.toString());
        }
        for (List<ReclaimRequest> r : swap.calls) {
            assertTrue(r.stream().allMatch(q -> q.technique() == MemoryTechnique.SWAPPING), r.toString());
        }
        MemorySnapshot s = e.memorySnapshot("h1");
        assertEquals(300, vm(s, "a").balloonedPages());
        assertEquals(150, vm(s, "a").swappedPages());
        assertEquals(30, vm(s, "b").balloonedPages());
        assertEquals(0, vm(e.memorySnapshot("h2"), "c").balloonedPages(), "requests for VMs of another host do nothing");
        assertTrue(e.snapshot("h1").sharedSavedPages() > 0);
        assertTrue(e.pageAccount("h1", true).problems().isEmpty(), e.pageAccount("h1", true).problems().toString());
    }

    @Test
    void overcommitLeavesNoFreeMemoryUntilReclaimTakesPagesBackAndReservationsAreNeverTouched() {
        // 2 GiB host, three 1 GiB guests: every page is backed at boot, so the host is short at once
        Policy greedy = new Policy(host -> host.vms().stream()
                .flatMap(v -> List.of(new ReclaimRequest(v.vm(), MemoryTechnique.BALLOONING, v.configuredPages()),
                        new ReclaimRequest(v.vm(), MemoryTechnique.SWAPPING, v.configuredPages())).stream())
                .toList());
        Strategy balloon = new Strategy(MemoryTechnique.BALLOONING, MemoryReclaimTest::literal);
        Strategy swap = new Strategy(MemoryTechnique.SWAPPING, MemoryReclaimTest::literal);
        SimEngine e = new SimEngine(1, 1000, PolicySource.of(null, greedy, List.of(balloon, swap)), 1);
        e.attach(Fixtures.host("h", 4, 1000, 2048), Fixtures.BARE);
        e.start("h", Fixtures.vm("a", 1, 1024, "idle"));
        e.start("h", Fixtures.vm("b", 1, 1024, "idle"));
        e.start("h", Fixtures.vm("pinned", 1, 1024, "idle").withMemory(new MemoryQos(768, 1000)));
        assertEquals(0, e.memorySnapshot("h").freePages());

        e.advance(1000);

        MemorySnapshot first = greedy.snapshots.get(0);
        assertEquals(0, first.freePages(), "the policy saw the pressure");
        MemorySnapshot after = e.memorySnapshot("h");
        assertTrue(after.freePages() > 0, "reclaim freed host memory");
        VmMemory pinned = vm(after, "pinned");
        assertEquals(768 * MIB, pinned.residentPages(), "everything above the reservation is taken, nothing under it");
        for (int i = 0; i < 5; i++) {
            e.advance(1000);
            assertTrue(vm(e.memorySnapshot("h"), "pinned").residentPages() >= 768 * MIB);
        }
        assertTrue(e.events("h", 0).stream().anyMatch(ev -> ev.message().startsWith("memory state HIGH -> LOW")),
                e.events("h", 0).toString());
        assertTrue(e.pageAccount("h", true).problems().isEmpty());
    }

    @Test
    void swappedPagesTheWorkloadTouchesFaultBackAtTheDatastoresLatencySlowingOnlyThatVm() {
        DatastoreSpec slow = new DatastoreSpec("slow", 100, 2000, false);
        HostSpec spec = new HostSpec("h", "default", 8, 1000, 8192, HypervisorKind.HYBRID, "sim",
                org.vireo.api.model.CpuModel.DEFAULT, List.of(DatastoreSpec.LOCAL, slow), HostSpec.DEFAULT_NIC_MBPS);
        // steady demand (peak = mean), a working set of all memory rewritten every second
        String workload = "custom:cpu=50,peak=50,ws=64,dirty=64";
        SimEngine e = new SimEngine(1, 1000, PolicySource.NONE, 1);
        e.attach(spec, Fixtures.BARE);
        e.start("h", Fixtures.vm("swapped", 2, 64, workload).withDisks(List.of(DiskSpec.parse("name=d,size=1G,datastore=slow", "d"))));
        e.start("h", Fixtures.vm("neighbour", 2, 64, workload));
        e.advance(3000);
        double swappedBefore = work(e, "swapped");
        double neighbourBefore = work(e, "neighbour");
        assertEquals(3 * 1000.0, swappedBefore, 1e-6, "50% of 2 vCPUs of 1000 MHz for 3 s");

        long out = e.carryOut("h", List.of(new MemoryAction("swapped", MemoryOperation.SWAP_OUT, 1000)))[0];
        assertEquals(1000, out);
        e.advance(1000);

        VmSnapshot s = e.snapshot("h").vm("swapped").orElseThrow();
        assertEquals(1000, e.memory("h", "swapped").swapFaults(), "every swapped page was touched and read back");
        // 1000 faults x 2 ms = 2 s of vCPU wait out of 2 vCPU-seconds: no progress this second
        assertEquals(0, work(e, "swapped") - swappedBefore, 1e-6);
        assertTrue(s.detail().contains("1000 swapped pages faulted back"), s.detail());
        assertEquals(1000, work(e, "neighbour") - neighbourBefore, 1e-6, "the neighbour's progress is unchanged");

        e.carryOut("h", List.of(new MemoryAction("swapped", MemoryOperation.SWAP_OUT, 250)));
        e.advance(1000);
        // 250 faults x 2 ms = 0.5 s of 2 vCPU-seconds: a quarter of the interval lost
        assertEquals(750, work(e, "swapped") - swappedBefore, 1e-6);
        e.carryOut("h", List.of(new MemoryAction("neighbour", MemoryOperation.SWAP_OUT, 250)));
        e.advance(1000);
        // the neighbour's swap file is on the local SSD datastore: 250 x 100 µs = 25 ms of 2 s
        assertEquals(1000 * (1 - 0.025 / 2), work(e, "neighbour") - neighbourBefore - 2000, 1e-6);
    }

    @Test
    void removingOrReplacingAStrategyMidRunLosesNoPage() {
        Switchboard source = new Switchboard();
        Strategy sharing = scanner(20_000);
        Strategy balloon = new Strategy(MemoryTechnique.BALLOONING, MemoryReclaimTest::literal);
        Strategy swap = new Strategy(MemoryTechnique.SWAPPING, MemoryReclaimTest::literal);
        source.policy = new Policy(host -> host.freePages() > 512 * MIB ? List.of() : host.vms().stream()
                .flatMap(v -> List.of(new ReclaimRequest(v.vm(), MemoryTechnique.BALLOONING, 2000),
                        new ReclaimRequest(v.vm(), MemoryTechnique.SWAPPING, 3000)).stream())
                .toList());
        source.strategies = List.of(sharing, balloon, swap);
        SimEngine e = new SimEngine(3, 1000, source, 1);
        e.attach(Fixtures.host("h", 8, 1000, 3072), Fixtures.BARE);
        for (String w : List.of("desktop", "web", "db", "idle")) {
            e.start("h", Fixtures.vm(w, 2, 1024, w));
        }
        e.advance(5000);
        PageAccount before = e.pageAccount("h", true);
        assertTrue(before.problems().isEmpty(), before.problems().toString());
        assertTrue(before.vms().stream().anyMatch(v -> v.location(PageLocation.SWAPPED) > 0));
        assertTrue(before.vms().stream().anyMatch(v -> v.location(PageLocation.BALLOONED) > 0));
        assertTrue(before.savedPages() > 0);

        // every strategy leaves at once; the pages they placed stay where they are
        source.strategies = List.of();
        PageAccount held = e.pageAccount("h", true);
        assertEquals(before, held);
        e.advance(3000);
        PageAccount without = e.pageAccount("h", true);
        assertTrue(without.problems().isEmpty(), without.problems().toString());
        for (PageAccount.Vm v : without.vms()) {
            assertEquals(v.configuredPages(), v.total());
            assertEquals(before.vm(v.vm()).location(PageLocation.BALLOONED), v.location(PageLocation.BALLOONED),
                    "no balloon runs: " + v.vm() + " keeps its balloon");
        }

        // replacements come back, then leave again one at a time
        source.strategies = List.of(scanner(5000), balloon, swap);
        e.advance(3000);
        source.strategies = List.of(balloon, swap);
        e.advance(2000);
        source.strategies = List.of(swap);
        e.advance(2000);
        PageAccount end = e.pageAccount("h", true);
        assertTrue(end.problems().isEmpty(), end.problems().toString());
        end.vms().forEach(v -> assertEquals(v.configuredPages(), v.total(), v.vm()));
    }

    @Test
    void aFailingPolicyOrStrategyIsReportedOnceAndTheOthersRunOn() {
        MemoryReclaimPolicy broken = (host, available) -> {
            throw new IllegalStateException("boom");
        };
        Strategy sharing = scanner(10_000);
        Strategy rogue = new Strategy(MemoryTechnique.BALLOONING,
                (host, requests) -> List.of(new MemoryAction("a", MemoryOperation.SWAP_OUT, 100)));
        SimEngine e = new SimEngine(1, 1000, PolicySource.of(null, broken, List.of(sharing, rogue)), 1);
        e.attach(Fixtures.host("h", 4, 1000, 8192), Fixtures.BARE);
        e.start("h", Fixtures.vm("a", 1, 512, "desktop"));
        e.advance(5000);
        List<HypervisorEvent> events = e.events("h", 0);
        assertEquals(1, events.stream().filter(ev -> ev.message().contains("boom")).count(), events.toString());
        assertEquals(1, events.stream().filter(ev -> ev.message().contains("not its technique")).count(), events.toString());
        assertEquals(5, sharing.calls.size());
        assertEquals(0, vm(e.memorySnapshot("h"), "a").swappedPages(), "a balloon strategy cannot swap");
        // 5 x 10,000 pages of budget: the scanner has examined 12 whole chunks of OS-image pages
        assertEquals(12 * GuestMemory.CHUNK_PAGES, vm(e.memorySnapshot("h"), "a").sharedPages(),
                "sharing ran although the policy failed");
    }

    @Test
    void reclaimGivesTheSamePagesWhateverTheThreadCount() {
        List<PageAccount> one = overcommittedHosts(1);
        List<PageAccount> four = overcommittedHosts(4);
        assertEquals(one, four);
        assertTrue(one.stream().allMatch(a -> a.problems().isEmpty()));
        assertTrue(one.stream().anyMatch(a -> a.vms().stream().anyMatch(v -> v.location(PageLocation.SWAPPED) > 0)));
    }

    /** 20 overcommitted hosts stepped in parallel (16 or more are) with a policy that asks each VM for pages. */
    private static List<PageAccount> overcommittedHosts(int threads) {
        Policy policy = new Policy(host -> host.freePages() > 0 ? List.of() : host.vms().stream()
                .flatMap(v -> List.of(new ReclaimRequest(v.vm(), MemoryTechnique.BALLOONING, 500),
                        new ReclaimRequest(v.vm(), MemoryTechnique.SWAPPING, 700)).stream())
                .toList());
        SimEngine e = new SimEngine(7, 1000, PolicySource.of(null, policy, List.of(scanner(3000),
                new Strategy(MemoryTechnique.BALLOONING, MemoryReclaimTest::literal),
                new Strategy(MemoryTechnique.SWAPPING, MemoryReclaimTest::literal))), threads);
        String[] kinds = {"web", "db", "desktop", "idle"};
        for (int h = 0; h < 20; h++) {
            e.attach(Fixtures.host("h" + h, 4, 2000, 1024), Fixtures.BARE);
            for (int v = 0; v < 4; v++) {
                e.start("h" + h, Fixtures.vm("vm" + h + "-" + v, 1, 384, kinds[(h + v) % 4]));
            }
        }
        e.advance(10_000);
        List<PageAccount> accounts = new ArrayList<>();
        for (int h = 0; h < 20; h++) {
            accounts.add(e.pageAccount("h" + h, false));
        }
        e.close();
        return accounts;
    }

    @Test
    void withoutMemoryPoliciesNothingIsReclaimed() {
        SimEngine e = new SimEngine(1, 1000, PolicySource.NONE, 1);
        e.attach(Fixtures.host("h", 4, 1000, 1024), Fixtures.BARE);
        e.start("h", Fixtures.vm("a", 1, 1024, "desktop"));
        e.start("h", Fixtures.vm("b", 1, 1024, "desktop"));
        e.advance(5000);
        assertEquals(0, e.snapshot("h").sharedSavedPages());
        assertEquals(0, e.memorySnapshot("h").freePages());
        assertFalse(e.snapshot("h").detail().contains("LOW"));
    }

    private static double work(SimEngine e, String vm) {
        return e.snapshot("h").vm(vm).orElseThrow().cpu().workMhzSeconds();
    }

    private static VmMemory vm(MemorySnapshot s, String name) {
        return s.vms().stream().filter(v -> v.vm().equals(name)).findFirst().orElseThrow();
    }
}
