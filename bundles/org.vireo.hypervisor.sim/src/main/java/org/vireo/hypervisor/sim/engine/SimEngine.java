package org.vireo.hypervisor.sim.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import org.vireo.api.cpu.CpuQosPolicy;
import org.vireo.api.hypervisor.HostSnapshot;
import org.vireo.api.hypervisor.HypervisorEvent;
import org.vireo.api.hypervisor.HypervisorException;
import org.vireo.api.hypervisor.TypeProfile;
import org.vireo.api.hypervisor.VmSnapshot;
import org.vireo.api.memory.MemoryAction;
import org.vireo.api.memory.MemorySnapshot;
import org.vireo.api.model.HostSpec;
import org.vireo.api.model.InvalidSpecException;
import org.vireo.api.model.VmSpec;
import org.vireo.api.model.VmState;

/**
 * The simulation: a virtual clock, a queue of timed events and the simulated hosts.
 * <p>
 * Time only moves when someone advances it ({@link #advance}, {@link #advanceTo}): a pacer
 * thread in step with the wall clock, or a batch run as fast as the CPU allows. Events run in
 * order of (time, order of scheduling); the recurring one is the scheduling interval, at which
 * every host asks the CPU policy in force (pulled once per interval from the
 * {@link PolicySource}) and steps its guests; once per reclaim interval (by default every
 * scheduling interval) every host then runs its memory reclaim ({@link HostReclaim}) with the
 * reclaim policy and reuse strategies in force. Hosts are independent within an interval, so
 * many hosts are stepped in parallel; every guest draws from its own random stream, seeded from
 * the master seed and its name only. The same seed and the same calls therefore give the same
 * figures, whatever the pacing, the thread count or the other guests.
 * <p>
 * Thread-safe: every method holds the engine's lock; a long advance takes it once per event,
 * so calls from other threads are served between intervals.
 */
public final class SimEngine {
    /** Events kept per host. */
    public static final int EVENTS_KEPT = 4096;
    private static final int PARALLEL_HOSTS = 16;

    private record Timed(long at, long order, Runnable action) {
    }

    private final long seed;
    private final PolicySource policies;
    private final PriorityQueue<Timed> queue =
            new PriorityQueue<>(Comparator.comparingLong(Timed::at).thenComparingLong(Timed::order));
    private final Map<String, SimHost> hosts = new LinkedHashMap<>();
    private final ForkJoinPool pool;
    private SimHost[] stepping = new SimHost[0];
    private long intervalMillis;
    private long reclaimIntervalMillis;
    private long nextReclaim;
    private String reclaimPolicyName = "none";
    private long clock;
    private long order;
    private long intervals;
    /** What divided the CPU at the last interval; before the first one, nothing has been asked yet. */
    private String policyName = "none asked yet (the first interval asks the policy in force)";

    /**
     * @param seed the master seed
     * @param intervalMillis the scheduling interval, in virtual milliseconds
     * @param policies where the policies in force are found
     * @param threads threads that step hosts in parallel (1 steps them in the caller)
     */
    public SimEngine(long seed, long intervalMillis, PolicySource policies, int threads) {
        if (intervalMillis < 1) {
            throw new IllegalArgumentException("interval must be at least 1 ms: " + intervalMillis);
        }
        this.seed = seed;
        this.intervalMillis = intervalMillis;
        this.reclaimIntervalMillis = intervalMillis;
        this.policies = policies;
        this.pool = threads > 1 ? new ForkJoinPool(threads) : null;
        queue.add(new Timed(intervalMillis, order++, this::tick));
    }

    /** @return the master seed */
    public long seed() {
        return seed;
    }

    /** @return the virtual clock, ms since the engine started */
    public synchronized long clockMillis() {
        return clock;
    }

    /** @return the scheduling interval, virtual ms */
    public synchronized long intervalMillis() {
        return intervalMillis;
    }

    /** @return scheduling intervals run so far */
    public synchronized long intervals() {
        return intervals;
    }

    /** @return the reclaim interval, virtual ms */
    public synchronized long reclaimIntervalMillis() {
        return reclaimIntervalMillis;
    }

    /**
     * Changes how often memory is reclaimed, from the next reclaim on. Reclaim runs at the first
     * scheduling interval at or after each reclaim interval, so at most once per scheduling interval.
     *
     * @param millis the new reclaim interval, at least 1
     */
    public synchronized void reclaimIntervalMillis(long millis) {
        if (millis < 1) {
            throw new IllegalArgumentException("reclaim interval must be at least 1 ms: " + millis);
        }
        nextReclaim = Math.min(nextReclaim, clock + millis);
        this.reclaimIntervalMillis = millis;
    }

    /** @return the memory reclaim policy of the last reclaim interval */
    public synchronized String reclaimPolicyName() {
        return reclaimPolicyName;
    }

    /** @return what divided the CPU at the last interval */
    public synchronized String cpuPolicyName() {
        return policyName;
    }

    /**
     * Changes the scheduling interval from the next one on.
     *
     * @param millis the new interval, at least 1
     */
    public synchronized void intervalMillis(long millis) {
        if (millis < 1) {
            throw new IllegalArgumentException("interval must be at least 1 ms: " + millis);
        }
        this.intervalMillis = millis;
    }

    /**
     * Runs {@code action} when the clock reaches {@code atMillis} (at once on the next advance if
     * that is past).
     *
     * @param atMillis virtual time
     * @param action what to do, under the engine's lock
     */
    public synchronized void schedule(long atMillis, Runnable action) {
        queue.add(new Timed(Math.max(atMillis, clock), order++, action));
    }

    /**
     * Advances the clock by {@code millis}, running every event due.
     *
     * @param millis virtual ms, not negative
     */
    public void advance(long millis) {
        long target;
        synchronized (this) {
            target = clock + millis;
        }
        advanceTo(target);
    }

    /**
     * Advances the clock to {@code target} (never backwards), running every event due.
     *
     * @param target virtual ms
     */
    public void advanceTo(long target) {
        while (true) {
            synchronized (this) {
                Timed next = queue.peek();
                if (next == null || next.at() > target) {
                    clock = Math.max(clock, target);
                    return;
                }
                queue.poll();
                clock = Math.max(clock, next.at());
                next.action().run();
            }
        }
    }

    private void tick() {
        CpuQosPolicy policy = policies.cpuPolicy().orElse(null);
        String name = policy == null ? "equal shares (no CPU policy installed)" : policy.getClass().getSimpleName();
        if (!name.equals(policyName)) {
            policyName = name;
            for (SimHost h : hosts.values()) {
                h.policyName(name);
            }
        }
        long now = clock;
        double seconds = intervalMillis / 1000.0;
        ReclaimRound round = null;
        if (now >= nextReclaim) {
            round = reclaimRound();
            reclaimPolicyName = round.policyName();
            nextReclaim = now + reclaimIntervalMillis;
        }
        ReclaimRound memory = round;
        SimHost[] all = stepping;
        if (pool != null && all.length >= PARALLEL_HOSTS) {
            pool.submit(() -> IntStream.range(0, all.length).parallel().forEach(i -> stepHost(all[i], now, seconds, policy, memory)))
                    .join();
        } else {
            for (SimHost h : all) {
                stepHost(h, now, seconds, policy, memory);
            }
        }
        intervals++;
        queue.add(new Timed(now + intervalMillis, order++, this::tick));
    }

    private static void stepHost(SimHost host, long now, double seconds, CpuQosPolicy policy, ReclaimRound memory) {
        host.step(now, seconds, policy);
        if (memory != null) {
            host.reclaim.run(memory, now);
        }
    }

    /** The memory policies in force now, asked once for all hosts; a failing source means none this round. */
    private ReclaimRound reclaimRound() {
        try {
            return ReclaimRound.of(policies.reclaimPolicy().orElse(null), policies.reuseStrategies());
        } catch (RuntimeException e) {
            return new ReclaimRound(null, "none", List.of(), java.util.Set.of(),
                    List.of("memory: the memory policies could not be read (" + e + "); no reclaim this interval"));
        }
    }

    // ---------------------------------------------------------------- hosts and VMs

    /**
     * @param spec the host
     * @param profile its type's overheads; a privileged domain starts now
     * @return the host's snapshot
     */
    public synchronized HostSnapshot attach(HostSpec spec, TypeProfile profile) {
        SimHost existing = hosts.get(spec.name());
        if (existing != null) {
            if (existing.vmCount() > 0 && !existing.spec.equals(spec)) {
                throw new HypervisorException("host " + spec.name() + " is attached with another definition and runs "
                        + existing.vmCount() + " VMs");
            }
            if (existing.vmCount() > 0 || existing.profile.equals(profile)) {
                return existing.snapshot(clock, intervalMillis);
            }
        }
        SimHost host = new SimHost(spec, profile, EVENTS_KEPT, clock);
        host.policyName(policyName);
        hosts.put(spec.name(), host);
        stepping = hosts.values().toArray(new SimHost[0]);
        return host.snapshot(clock, intervalMillis);
    }

    /** @param host a host's name; its guests are dropped */
    public synchronized void detach(String host) {
        SimHost h = host(host);
        for (SimVm vm : new ArrayList<>(toList(h.vms()))) {
            h.remove(vm.name(), VmState.STOPPED, clock, vm.name() + " powered off: host detached");
        }
        hosts.remove(host);
        stepping = hosts.values().toArray(new SimHost[0]);
    }

    /** @return the names of the attached hosts */
    public synchronized List<String> hostNames() {
        return new ArrayList<>(hosts.keySet());
    }

    /**
     * @param host the host
     * @param vm the VM
     * @return its snapshot, {@code RUNNING}
     */
    public synchronized VmSnapshot start(String host, VmSpec vm) {
        SimHost h = host(host);
        SimVm started = h.start(vm, Seeds.of(seed, vm.name()), clock);
        return started.snapshot("");
    }

    /**
     * @param host the host
     * @param vm the VM
     * @param force power off rather than shut down (both are immediate here)
     */
    public synchronized void stop(String host, String vm, boolean force) {
        host(host).remove(vm, VmState.STOPPED, clock, vm + (force ? " powered off" : " shut down"));
    }

    /**
     * @param host the host
     * @param vm the VM
     */
    public synchronized void pause(String host, String vm) {
        SimVm v = running(host, vm, VmState.RUNNING, "pause");
        v.state = VmState.PAUSED;
        host(host).events.post(clock, vm, VmState.PAUSED, vm + " paused: memory kept, no CPU");
    }

    /**
     * @param host the host
     * @param vm the VM
     */
    public synchronized void resume(String host, String vm) {
        SimVm v = running(host, vm, VmState.PAUSED, "resume");
        v.state = VmState.RUNNING;
        host(host).events.post(clock, vm, VmState.RUNNING, vm + " resumed");
    }

    /**
     * Fault injection: the VM fails; its memory is freed and nothing else changes.
     *
     * @param host the host
     * @param vm the VM
     */
    public synchronized void crash(String host, String vm) {
        SimVm v = host(host).vm(vm);
        host(host).remove(vm, VmState.CRASHED, clock, String.format(java.util.Locale.ROOT,
                "%s crashed (fault injected) after %.0f MHz·s of CPU work; neighbours unaffected", vm, v.workMhzSeconds));
    }

    /**
     * @param host the host
     * @param vm the new definition; QoS applies from the next interval
     */
    public synchronized void reconfigure(String host, VmSpec vm) {
        SimVm v = host(host).vm(vm.name());
        v.reconfigure(vm);
    }

    /**
     * @param host the host
     * @return its snapshot now
     */
    public synchronized HostSnapshot snapshot(String host) {
        return host(host).snapshot(clock, intervalMillis);
    }

    /** @return every host's snapshot, in attach order */
    public synchronized List<HostSnapshot> snapshots() {
        List<HostSnapshot> out = new ArrayList<>(hosts.size());
        for (SimHost h : hosts.values()) {
            out.add(h.snapshot(clock, intervalMillis));
        }
        return out;
    }

    /**
     * @param host the host
     * @param afterSequence the last sequence seen
     * @return newer events, oldest first
     */
    public synchronized List<HypervisorEvent> events(String host, long afterSequence) {
        return host(host).events.after(afterSequence);
    }

    /**
     * @param clockMillis virtual time
     * @return every host's events at or after that time, by time then host
     */
    public synchronized List<HypervisorEvent> eventsSince(long clockMillis) {
        List<HypervisorEvent> out = new ArrayList<>();
        for (SimHost h : hosts.values()) {
            out.addAll(h.events.since(clockMillis));
        }
        out.sort(Comparator.comparingLong(HypervisorEvent::clockMillis));
        return out;
    }

    /**
     * The page model of a running guest, for tests and for the memory strategies' operations.
     *
     * @param host the host
     * @param vm the VM
     * @return its memory
     */
    public synchronized GuestMemory memory(String host, String vm) {
        SimVm v = host(host).vm(vm);
        // the caller may change it: the next write checks again whether it is quiet
        v.memoryChanged();
        return v.memory;
    }

    /**
     * @param host the host
     * @return its memory as the reclaim policy and the reuse strategies see it
     */
    public synchronized MemorySnapshot memorySnapshot(String host) {
        return host(host).memorySnapshot();
    }

    /**
     * Carries out memory operations on a host's guests (share scan, balloon, swap). Pages under
     * a VM's memory reservation are never ballooned or swapped; COMPRESS is not modelled and
     * affects nothing.
     *
     * @param host the host
     * @param actions the operations, e.g. from the memory reuse strategies
     * @return pages each action affected, in order
     */
    public synchronized long[] carryOut(String host, List<MemoryAction> actions) {
        return host(host).carryOut(actions, clock);
    }

    /**
     * Accounts for every guest page of a host: per VM, pages by content class × location (which
     * add up to its configured pages), a digest of the pages' contents, and the shared-page
     * table's references, with whatever disagrees.
     *
     * @param host the host
     * @param audit whether to recount every page one by one as well (slow: a pass over all guest memory)
     * @return the account
     */
    public synchronized PageAccount pageAccount(String host, boolean audit) {
        return host(host).pageAccount(clock, audit);
    }

    /**
     * The guest writes pages {@code [page, page+count)}, wherever they lie: see
     * {@link GuestMemory#guestWrite}. A shared page gets a private copy; the other guests mapping
     * it are not touched.
     *
     * @param host the host
     * @param vm the VM
     * @param page the first guest page
     * @param count pages
     * @return pages written
     */
    public synchronized long guestWrite(String host, String vm, long page, long count) {
        SimVm v = host(host).vm(vm);
        long pages = v.memory.pages();
        if (page < 0 || page >= pages) {
            throw new InvalidSpecException("page", page, "a guest page of " + vm + " from 0 to " + (pages - 1));
        }
        if (count < 0) {
            throw new InvalidSpecException("count", count, "0 or more pages");
        }
        v.memoryChanged();
        return v.memory.guestWrite(page, count, host(host).sharing);
    }

    /**
     * @param host the host
     * @return its shared-page table
     */
    public synchronized SharingTable sharing(String host) {
        return host(host).sharing;
    }

    /** Stops the helper threads; the engine must not be advanced afterwards. */
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    private SimVm running(String host, String vm, VmState expected, String operation) {
        SimVm v = host(host).vm(vm);
        if (v.state != expected) {
            throw new HypervisorException("host " + host + ": cannot " + operation + " VM '" + vm + "': it is " + v.state
                    + ", not " + expected);
        }
        return v;
    }

    private SimHost host(String name) {
        SimHost h = hosts.get(name);
        if (h == null) {
            throw new HypervisorException("host '" + name + "' is not attached to the sim hypervisor (attached: "
                    + hosts.keySet() + ")");
        }
        return h;
    }

    private static <T> List<T> toList(Iterable<T> it) {
        List<T> l = new ArrayList<>();
        it.forEach(l::add);
        return l;
    }
}
