package org.vireo.hypervisor.sim.engine;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.vireo.api.cpu.CpuAllocation;
import org.vireo.api.cpu.CpuDemand;
import org.vireo.api.cpu.CpuEntitlement;
import org.vireo.api.cpu.CpuQosPolicy;
import org.vireo.api.cpu.CpuSnapshot;
import org.vireo.api.hypervisor.CpuFigures;
import org.vireo.api.hypervisor.HostSnapshot;
import org.vireo.api.hypervisor.HypervisorException;
import org.vireo.api.hypervisor.IoFigures;
import org.vireo.api.hypervisor.MemoryFigures;
import org.vireo.api.hypervisor.TypeProfile;
import org.vireo.api.hypervisor.VmSnapshot;
import org.vireo.api.memory.MemoryAction;
import org.vireo.api.memory.MemorySnapshot;
import org.vireo.api.memory.VmMemory;
import org.vireo.api.model.DatastoreSpec;
import org.vireo.api.model.HostSpec;
import org.vireo.api.model.VmSpec;
import org.vireo.api.model.VmState;

/**
 * One simulated host: its CPU, memory and guests, stepped one scheduling interval at a time.
 * A bare-metal host's privileged domain runs from attach on: its CPU reservation is taken off
 * the capacity guests share and its memory off what they can use; it carries their I/O, so its
 * own CPU use grows with theirs (5% of its reservation plus 2 MHz per Mbit/s and 5 MHz per
 * MiB/s of guest I/O, at most its reservation). Guests' network traffic shares the physical NIC:
 * when the guests of a host ask for more than its bandwidth in one direction, each gets its
 * proportional part.
 * <p>
 * Memory: guests' pages are backed by host memory from boot; what is left after the
 * hypervisor's own part and the guests' resident pages is free. Configured guest memory beyond
 * physical memory (overcommit) therefore leaves no free memory until the reclaim run once per
 * reclaim interval ({@link HostReclaim}) takes pages back. A guest's swap file lives on the
 * datastore of its first disk (the host's first datastore if it has none): faulting a page back
 * costs that datastore's latency.
 */
final class SimHost {
    private static final int PAGES_PER_MIB = MemoryFigures.PAGES_PER_MIB;

    final HostSpec spec;
    final TypeProfile profile;
    final HostEvents events;
    final SharingTable sharing = new SharingTable();
    final HostReclaim reclaim = new HostReclaim(this);
    private final Map<String, SimVm> vms = new LinkedHashMap<>();
    private SimVm[] ordered = new SimVm[0];
    private final String dom0;
    private double dom0UsedMhz;
    private double dom0WorkMhzSeconds;
    private IoFigures dom0IoFigures = IoFigures.NONE;
    private double usedMhz;
    private List<String> lastWarnings = List.of();
    private String policyName = "none asked yet";
    private boolean compressWarned;

    // per-interval scratch, grown with the number of VMs
    private SimVm[] runnable = new SimVm[8];
    private double[] demand = new double[8];
    private double[] ceiling = new double[8];
    private double[] vcpus = new double[8];
    private double[] entitled = new double[8];
    private double[] capMhz = new double[8];
    private double[] weight = new double[8];
    private double[] used = new double[8];
    private double[] scratch = new double[16];
    private int[] order = new int[8];

    SimHost(HostSpec spec, TypeProfile profile, int eventsKept, long clockMillis) {
        this.spec = spec;
        this.profile = profile;
        this.events = new HostEvents(spec.name(), eventsKept);
        this.dom0 = profile.privilegedDomain();
        if (dom0 != null) {
            events.post(clockMillis, dom0, VmState.RUNNING, String.format(Locale.ROOT,
                    "%s running: privileged domain owns physical I/O; reserves %d MHz and %d MiB",
                    dom0, profile.reservedCpuMhz(), profile.reservedMemoryMiB()));
        }
    }

    String name() {
        return spec.name();
    }

    SimVm vm(String name) {
        SimVm vm = vms.get(name);
        if (vm == null) {
            throw new HypervisorException("host " + spec.name() + ": no VM '" + name + "' holds resources here (running: "
                    + vms.keySet() + ")");
        }
        return vm;
    }

    boolean has(String name) {
        return vms.containsKey(name);
    }

    int vmCount() {
        return vms.size();
    }

    Iterable<SimVm> vms() {
        return vms.values();
    }

    SimVm start(VmSpec spec, long seed, long clockMillis) {
        if (dom0 != null && dom0.equals(spec.name())) {
            throw new HypervisorException("host " + this.spec.name() + ": '" + spec.name()
                    + "' is the name of the privileged domain; choose another VM name");
        }
        if (vms.containsKey(spec.name())) {
            throw new HypervisorException("host " + this.spec.name() + ": VM '" + spec.name() + "' is already "
                    + vms.get(spec.name()).state);
        }
        SimVm vm = new SimVm(spec, seed, clockMillis, swapLatencyMicros(spec));
        vms.put(spec.name(), vm);
        ordered = vms.values().toArray(new SimVm[0]);
        events.post(clockMillis, spec.name(), VmState.RUNNING, String.format(Locale.ROOT, "%s running: %d vCPU, %d MiB, workload %s%s",
                spec.name(), spec.vcpus(), spec.memoryMiB(), spec.workload().toText(),
                dom0 == null ? "" : ", DomU with I/O through " + dom0 + " back-ends"));
        return vm;
    }

    /** @return the latency of the datastore that holds the VM's swap file */
    private long swapLatencyMicros(VmSpec vm) {
        String store = vm.disks().isEmpty() ? null : vm.disks().get(0).datastore();
        for (DatastoreSpec d : spec.datastores()) {
            if (d.name().equals(store)) {
                return d.latencyMicros();
            }
        }
        return spec.datastores().get(0).latencyMicros();
    }

    void remove(String name, VmState state, long clockMillis, String message) {
        SimVm vm = vm(name);
        vm.memory.release(sharing);
        vm.state = state;
        vms.remove(name);
        ordered = vms.values().toArray(new SimVm[0]);
        events.post(clockMillis, name, state, message);
    }

    /** @return guest CPU capacity: cores × MHz less the reservation, less the virtualization overhead */
    double capacityMhz() {
        double raw = Math.max(0, spec.capacityMhz() - profile.reservedCpuMhz());
        return raw * (1 - profile.cpuOverheadPercent() / 100);
    }

    /**
     * Steps one scheduling interval ending at {@code clockMillis}.
     *
     * @param clockMillis the interval's end
     * @param seconds its length
     * @param policy the CPU QoS policy in force, or {@code null}
     */
    void step(long clockMillis, double seconds, CpuQosPolicy policy) {
        int n = 0;
        grow(vms.size());
        double coreMhz = spec.mhzPerCore();
        double perVcpu = coreMhz * (1 - profile.cpuOverheadPercent() / 100);
        for (SimVm vm : ordered) {
            if (vm.state == VmState.RUNNING) {
                runnable[n] = vm;
                vm.demandMhz = vm.drawDemandFraction() * vm.vcpus * coreMhz;
                demand[n] = vm.demandMhz;
                ceiling[n] = vm.vcpus * perVcpu;
                vcpus[n] = vm.vcpus;
                n++;
            } else {
                vm.idle();
            }
        }
        double capacity = capacityMhz();
        if (policy == null || !allocate(policy, n, capacity, clockMillis)) {
            CpuScheduler.equalShare(n, capacity, demand, ceiling, vcpus, used, scratch, order);
            System.arraycopy(used, 0, entitled, 0, n);
        }
        double total = 0;
        double rx = 0;
        double tx = 0;
        double rd = 0;
        double wr = 0;
        for (int i = 0; i < n; i++) {
            SimVm vm = runnable[i];
            vm.book(entitled[i], used[i], coreMhz, seconds, sharing);
            total += vm.usedMhz;
            rx += vm.netRxMbps;
            tx += vm.netTxMbps;
            rd += vm.diskReadMiBps;
            wr += vm.diskWriteMiBps;
        }
        // the physical NIC is full duplex: each direction shared in proportion to what was asked
        double nic = spec.nicMbps();
        double rxScale = rx > nic ? nic / rx : 1;
        double txScale = tx > nic ? nic / tx : 1;
        for (int i = 0; i < n; i++) {
            if (rxScale < 1 || txScale < 1) {
                runnable[i].netRxMbps *= rxScale;
                runnable[i].netTxMbps *= txScale;
            }
            runnable[i] = null;
        }
        rx = Math.min(rx, nic);
        tx = Math.min(tx, nic);
        double net = rx + tx;
        double disk = rd + wr;
        usedMhz = total;
        if (dom0 != null) {
            double reserved = profile.reservedCpuMhz();
            dom0UsedMhz = Math.min(reserved, 0.05 * reserved + 2 * net + 5 * disk);
            dom0WorkMhzSeconds += dom0UsedMhz * seconds;
            dom0IoFigures = new IoFigures(rd, wr, rx, tx);
        }
    }

    /** Asks the policy and enforces its answer; false if it failed (the caller falls back). */
    private boolean allocate(CpuQosPolicy policy, int n, double capacity, long clockMillis) {
        List<CpuDemand> demands = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            SimVm vm = runnable[i];
            demands.add(new CpuDemand(vm.name, vm.vcpus, vm.cpu, demand[i]));
        }
        CpuAllocation allocation;
        try {
            allocation = policy.allocate(new CpuSnapshot(spec.name(), capacity, spec.mhzPerCore(), demands));
        } catch (RuntimeException e) {
            warn(clockMillis, List.of("CPU policy failed (" + e + "); dividing CPU equally this interval"));
            return false;
        }
        List<CpuEntitlement> list = allocation.entitlements();
        Map<String, CpuEntitlement> byName = null;
        for (int i = 0; i < n; i++) {
            CpuEntitlement e = i < list.size() ? list.get(i) : null;
            if (e == null || !e.vm().equals(runnable[i].name())) {
                if (byName == null) {
                    byName = new HashMap<>();
                    for (CpuEntitlement x : list) {
                        byName.put(x.vm(), x);
                    }
                }
                e = byName.get(runnable[i].name());
            }
            if (e == null) {
                entitled[i] = 0;
                capMhz[i] = 0;
                weight[i] = 1;
            } else {
                entitled[i] = e.entitledMhz();
                capMhz[i] = e.capMhz();
                weight[i] = Math.max(1, e.weight());
            }
        }
        CpuScheduler.enforce(n, capacity, demand, ceiling, entitled, capMhz, weight, used, scratch, order);
        warn(clockMillis, allocation.warnings());
        return true;
    }

    /** Posts the policy's warnings when they change, so they are seen once, not every interval. */
    private void warn(long clockMillis, List<String> warnings) {
        if (!warnings.equals(lastWarnings)) {
            lastWarnings = List.copyOf(warnings);
            for (String w : warnings) {
                events.post(clockMillis, null, null, "CPU policy: " + w);
            }
        }
    }

    void policyName(String name) {
        this.policyName = name;
    }

    private void grow(int size) {
        if (runnable.length >= size) {
            return;
        }
        int cap = Math.max(size, runnable.length * 2);
        runnable = new SimVm[cap];
        demand = new double[cap];
        ceiling = new double[cap];
        vcpus = new double[cap];
        entitled = new double[cap];
        capMhz = new double[cap];
        weight = new double[cap];
        used = new double[cap];
        scratch = new double[2 * cap];
        order = new int[cap];
    }

    /** @return pages the hypervisor keeps: its reservation plus the per-VM overhead */
    long hypervisorPages() {
        return (profile.reservedMemoryMiB() + (long) vms.size() * profile.perVmMemoryOverheadMiB()) * PAGES_PER_MIB;
    }

    /** @return host pages backing guests: private pages plus one frame per shared content */
    long guestPages() {
        long n = sharing.frames();
        for (SimVm vm : vms.values()) {
            n += vm.memory.pagesIn(PageLocation.PRIVATE);
        }
        return n;
    }

    long totalPages() {
        return spec.memoryMiB() * PAGES_PER_MIB;
    }

    long freePages() {
        return Math.max(0, totalPages() - hypervisorPages() - guestPages());
    }

    /** @return the host's memory as the reclaim policy and the reuse strategies see it */
    MemorySnapshot memorySnapshot() {
        List<VmMemory> list = new ArrayList<>(ordered.length);
        long guests = sharing.frames();
        for (SimVm vm : ordered) {
            VmMemory view = vm.memoryView();
            guests += view.residentPages() - view.sharedPages();
            list.add(view);
        }
        long hypervisor = hypervisorPages();
        long free = Math.max(0, totalPages() - hypervisor - guests);
        return new MemorySnapshot(spec.name(), totalPages(), hypervisor, free, list);
    }

    /**
     * Carries out memory operations. Never takes pages under a VM's reservation: balloon and
     * swap stop at {@code configured - reservation} pages reclaimed.
     *
     * @param actions what the strategies decided
     * @param clockMillis for events
     * @return pages each action actually affected, in order
     */
    long[] carryOut(List<MemoryAction> actions, long clockMillis) {
        long[] done = new long[actions.size()];
        for (int i = 0; i < actions.size(); i++) {
            MemoryAction a = actions.get(i);
            SimVm vm = vms.get(a.vm());
            if (vm == null || a.pages() <= 0) {
                continue;
            }
            GuestMemory m = vm.memory;
            done[i] = switch (a.operation()) {
                case SHARE_SCAN -> vm.shareScan(a.pages(), sharing);
                case BALLOON_INFLATE -> m.balloonInflate(Math.min(a.pages(), reclaimable(vm)), sharing);
                case BALLOON_DEFLATE -> m.balloonDeflate(a.pages());
                case SWAP_OUT -> m.swapOut(Math.min(a.pages(), reclaimable(vm)));
                case SWAP_IN -> m.swapIn(a.pages());
                case COMPRESS -> {
                    if (!compressWarned) {
                        compressWarned = true;
                        events.post(clockMillis, a.vm(), null, "memory: COMPRESS is not modelled by the sim page model; ignored");
                    }
                    yield 0;
                }
            };
            if (done[i] != 0) {
                vm.memoryChanged();
            }
        }
        return done;
    }

    /** @return pages the VM can still give: its memory less its reservation and what is ballooned or swapped already */
    private static long reclaimable(SimVm vm) {
        GuestMemory m = vm.memory;
        long reserved = vm.spec.memory().reservationMiB() * PAGES_PER_MIB;
        return Math.max(0, m.pages() - reserved - m.pagesIn(PageLocation.BALLOONED) - m.pagesIn(PageLocation.SWAPPED));
    }

    double usedMhz() {
        return usedMhz;
    }

    /**
     * @param clockMillis the engine's clock
     * @param audit whether to recount every page one by one as well (a pass over all guest memory)
     * @return every guest page by content and location, and what disagrees
     */
    PageAccount pageAccount(long clockMillis, boolean audit) {
        List<PageAccount.Vm> list = new ArrayList<>(vms.size());
        List<String> problems = new ArrayList<>();
        long shared = 0;
        for (SimVm vm : vms.values()) {
            GuestMemory m = vm.memory;
            Map<ContentClass, Map<PageLocation, Long>> pages = new EnumMap<>(ContentClass.class);
            for (ContentClass c : ContentClass.values()) {
                Map<PageLocation, Long> byLocation = new EnumMap<>(PageLocation.class);
                for (PageLocation l : PageLocation.values()) {
                    byLocation.put(l, m.pages(c, l));
                }
                pages.put(c, byLocation);
            }
            PageAccount.Vm account = new PageAccount.Vm(vm.name(), m.image(), vm.spec.memoryMiB() * PAGES_PER_MIB, pages,
                    m.contentDigest(), m.writtenPages(), m.copyOnWriteBreaks(), m.swapFaults());
            if (account.total() != account.configuredPages()) {
                problems.add(vm.name() + ": " + account.total() + " pages counted, " + account.configuredPages() + " configured");
            }
            for (Map.Entry<ContentClass, Map<PageLocation, Long>> e : pages.entrySet()) {
                for (Map.Entry<PageLocation, Long> l : e.getValue().entrySet()) {
                    if (l.getValue() < 0) {
                        problems.add(vm.name() + ": " + l.getValue() + " " + e.getKey().key() + " pages " + l.getKey());
                    }
                }
            }
            if (audit) {
                String a = m.audit();
                if (!a.isEmpty()) {
                    problems.add(vm.name() + ": " + a);
                }
            }
            shared += account.location(PageLocation.SHARED);
            list.add(account);
        }
        if (shared != sharing.references()) {
            problems.add("the shared-page table maps " + sharing.references() + " guest pages, the guests have " + shared + " shared");
        }
        if (sharing.frames() > sharing.references() || sharing.frames() < 0) {
            problems.add("the shared-page table holds " + sharing.frames() + " frames for " + sharing.references() + " references");
        }
        return new PageAccount(spec.name(), clockMillis, list, sharing.frames(), sharing.references(), sharing.zeroReferences(),
                sharing.imageFrames(), sharing.imageReferences(), problems);
    }

    HostSnapshot snapshot(long clockMillis, long intervalMillis) {
        List<VmSnapshot> list = new ArrayList<>(vms.size() + 1);
        if (dom0 != null) {
            long cores = Math.max(1, (profile.reservedCpuMhz() + spec.mhzPerCore() - 1) / spec.mhzPerCore());
            VmSpec dom0Spec = VmSpec.of(dom0, (int) Math.min(VmSpec.MAX_VCPUS, cores),
                    Math.max(16, Math.min(VmSpec.MAX_MEMORY_MIB, profile.reservedMemoryMiB())));
            long pages = dom0Spec.memoryMiB() * PAGES_PER_MIB;
            list.add(new VmSnapshot(dom0Spec, VmState.RUNNING,
                    new CpuFigures(dom0UsedMhz, profile.reservedCpuMhz(), dom0UsedMhz, 0, dom0WorkMhzSeconds),
                    new MemoryFigures(pages, pages, 0, 0, 0, pages, Map.of()), dom0IoFigures,
                    "privileged domain: owns physical I/O, runs the back-ends of every DomU"));
        }
        for (SimVm vm : vms.values()) {
            String swap = vm.swapFaultsLastInterval == 0 ? "" : String.format(Locale.ROOT,
                    ", %d swapped pages faulted back (%.0f ms vCPU wait at %d µs each)", vm.swapFaultsLastInterval,
                    vm.swapWaitSeconds * 1000, vm.swapLatencyMicros);
            list.add(vm.snapshot(String.format(Locale.ROOT, "sim: workload %s, working set %d MiB, dirtied %d pages last interval%s",
                    vm.profile.name(), vm.memory.workingSetPages() / PAGES_PER_MIB, vm.dirtiedPages, swap)));
        }
        String detail = String.format(Locale.ROOT, "sim: interval %d ms, CPU policy: %s, guest capacity %.0f MHz;"
                + " memory %s (reclaim policy: %s), %d shared frames, %s",
                intervalMillis, policyName, capacityMhz(), reclaim.state(), reclaim.policyName(), sharing.frames(), reclaim.totals());
        return new HostSnapshot(spec, profile, clockMillis, usedMhz, freePages(), sharing.savedPages(), list, detail);
    }
}
