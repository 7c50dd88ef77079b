package org.vireo.hypervisor.qemu;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.vireo.api.cpu.CpuDemand;
import org.vireo.api.cpu.CpuEntitlement;
import org.vireo.api.cpu.CpuSnapshot;
import org.vireo.api.hypervisor.HypervisorException;
import org.vireo.api.hypervisor.MemoryFigures;
import org.vireo.api.hypervisor.TypeProfile;
import org.vireo.api.hypervisor.VmSnapshot;
import org.vireo.api.memory.MemorySnapshot;
import org.vireo.api.model.HostSpec;
import org.vireo.api.model.VmState;
import org.vireo.cgroups.CgroupCpuSettings;
import org.vireo.hypervisor.qemu.cgroup.CgroupTree;
import org.vireo.hypervisor.qemu.cgroup.VmCgroup;

/**
 * Enforces the policies on one host's real guests, once per interval:
 * <ol>
 * <li><b>CPU.</b> Each running VM's used CPU is read back from its cgroup (CPU time over the
 * interval, in MHz of one core), its demand estimated ({@link DemandEstimator}), and the active
 * CPU policy decides on the {@link CpuSnapshot}; the decision is mapped to cgroup settings and
 * written to each VM's group where it changed ({@link CpuControl}). A VM reports the policy's
 * entitlement and the CPU read back.</li>
 * <li><b>Memory.</b> The reclaim policy and the strategies decide on a {@link MemorySnapshot} of
 * the figures read back; balloon targets go to QEMU, the scan budget to KSM, swap operations to
 * the VMs' memory cgroups where the machine has swap space ({@link MemoryControl},
 * {@link KsmControl}, {@link HostSwap}).</li>
 * </ol>
 * Every VM's QEMU process sits in its own group from before its vCPUs first run, with a memory
 * limit of its memory plus QEMU's overhead, set afresh at each start: high enough that the
 * kernel never kills a guest, low enough that a runaway QEMU cannot take the machine. Only
 * hypervisor swap lowers it (v2: {@code memory.high} below it), and only as far as the free swap
 * covers ({@link SwapControl}).
 * <p>
 * Where cgroups cannot be used (not mounted, read-only, not delegated), the decisions are still
 * made and reported, and the host's detail says why they are not enforced.
 */
final class HostControl {
    private static final long MIB = 1024L * 1024L;

    /**
     * What every host of the hypervisor shares for enforcement.
     *
     * @param policies the policies in force
     * @param ksm the machine's KSM
     * @param cgroups the machine's cgroups, or null where they cannot be used
     * @param noCgroups why not, when {@code cgroups} is null
     * @param memoryOverheadMiB what a QEMU process needs beyond its guest's memory
     */
    record Setup(Policies policies, KsmControl ksm, CgroupTree cgroups, String noCgroups, long memoryOverheadMiB) {
    }

    /** One VM's group and what was last written to it and read from it. */
    private static final class Group {
        final VmCgroup cgroup;
        final long memoryLimitBytes;
        CgroupCpuSettings applied;
        long lastUsageNanos = -1;
        long lastNanos;
        double usedMhz = -1;

        Group(VmCgroup cgroup, long memoryLimitBytes) {
            this.cgroup = cgroup;
            this.memoryLimitBytes = memoryLimitBytes;
        }
    }

    private final HostSpec spec;
    private final TypeProfile profile;
    private final Policies policies;
    private final KsmControl ksm;
    private final ProcFs proc;
    private final EventLog events;
    private final long memoryOverheadMiB;
    private final CgroupTree cgroups;
    private final String cgroupNote;
    private final Map<String, Group> groups = new HashMap<>();
    private final HostSwap swap;
    private final Set<String> reported = new HashSet<>();
    private Set<String> warnings = Set.of();
    private String cpuProblem = "";
    private String memoryProblem = "";
    private long lastIntervalNanos = -1;
    private volatile String memoryState = "";

    /**
     * @param spec the host
     * @param profile its type's overheads
     * @param setup what the hosts share
     * @param proc the proc reader
     * @param events the host's events
     */
    HostControl(HostSpec spec, TypeProfile profile, Setup setup, ProcFs proc, EventLog events) {
        this.spec = spec;
        this.profile = profile;
        this.policies = setup.policies();
        this.ksm = setup.ksm();
        this.proc = proc;
        this.events = events;
        this.memoryOverheadMiB = setup.memoryOverheadMiB();
        String noCgroups = setup.noCgroups();
        CgroupTree usable = setup.cgroups();
        String note;
        if (usable != null) {
            try {
                usable.prepareHost(spec.name());
                note = usable.describe() + " (" + usable.hostDirectory(spec.name()) + ")";
            } catch (HypervisorException e) {
                usable = null;
                note = e.getMessage();
            }
        } else {
            note = noCgroups;
        }
        this.cgroups = usable;
        this.cgroupNote = usable != null ? note : "CPU QoS and memory limits not enforced: " + note;
        this.swap = new HostSwap(proc, events, usable == null ? null : usable.version(), note, memoryOverheadMiB);
        if (usable == null) {
            events.post(null, null, cgroupNote);
        }
    }

    /** @return whether this host's VMs run in cgroups */
    boolean enforcing() {
        return cgroups != null;
    }

    /** @return for {@code host:info}: where the groups are, or why there are none; the memory state; swap; KSM */
    String describe() {
        String state = memoryState;
        return cgroupNote + (state.isEmpty() ? "" : "; memory state " + state) + "; " + swap.describe() + "; " + ksm.describe();
    }

    /**
     * Puts a VM's QEMU process in its group with its memory limit (after a launch, before its
     * vCPUs run; or after a re-attach). The limit is written afresh before the process goes in,
     * so a group left by an earlier run, or a limit lowered for swap by an earlier runtime,
     * constrains nothing. A failure leaves the VM running unconfined and says so.
     *
     * @param vm the VM
     */
    synchronized void admit(QemuVm vm) {
        if (cgroups == null) {
            return;
        }
        VmCgroup group;
        try {
            group = cgroups.vm(spec.name(), vm.name());
        } catch (HypervisorException e) {
            events.post(vm.name(), null, "runs outside cgroups, its CPU QoS and memory limit not enforced: " + e.getMessage());
            return;
        }
        long limit = (vm.spec().memoryMiB() + memoryOverheadMiB) * MIB;
        boolean limited = false;
        try {
            limited = group.limitMemory(limit);
        } catch (HypervisorException e) {
            events.post(vm.name(), null, "no memory limit: " + e.getMessage());
        }
        try {
            group.place(vm.pid());
        } catch (HypervisorException e) {
            events.post(vm.name(), null, "runs outside cgroups, its CPU QoS and memory limit not enforced: " + e.getMessage());
            return;
        }
        groups.put(vm.name(), new Group(group, limited ? limit : -1));
        swap.admitted(vm.name());
    }

    /**
     * Removes the group of a VM whose QEMU process is gone.
     *
     * @param vm the VM's name
     */
    synchronized void forget(String vm) {
        Group g = groups.remove(vm);
        boolean removed = g == null || g.cgroup.remove();
        if (!removed) {
            events.post(vm, null, "its cgroup " + g.cgroup.directory() + " could not be removed");
        }
        swap.forget(vm, removed);
        reported.removeIf(r -> r.startsWith(vm + ":"));
    }

    /**
     * Removes the group a VM may have kept from an earlier runtime when its QEMU is gone.
     *
     * @param vm the VM's name
     */
    synchronized void discard(String vm) {
        if (cgroups != null && !groups.containsKey(vm)) {
            cgroups.removeVm(spec.name(), vm);
        }
    }

    /**
     * @param vm a VM's name
     * @return its group, while it has one
     */
    synchronized Optional<VmCgroup> cgroup(String vm) {
        Group g = groups.get(vm);
        return g == null ? Optional.empty() : Optional.of(g.cgroup);
    }

    /**
     * The host is detached: every swap limit it lowered is lifted (nobody watches those guests'
     * swap any more), its group goes if no VM holds one, and it asks KSM for nothing.
     */
    synchronized void close() {
        swap.restoreAll();
        if (cgroups != null && groups.isEmpty()) {
            cgroups.removeHost(spec.name());
        }
        ksm.release(spec.name());
    }

    /**
     * @param vms the VMs holding memory on the host, with their figures
     * @return host pages neither guests nor the hypervisor use: the host's memory less the
     *         hypervisor's and the VMs' resident pages, at most what the machine has available
     */
    long freePages(List<VmSnapshot> vms) {
        long resident = vms.stream().mapToLong(v -> v.memory().residentPages()).sum();
        long declared = (spec.memoryMiB() - profile.reservedMemoryMiB()) * MemoryFigures.PAGES_PER_MIB;
        long free = Math.max(0, declared - resident);
        long available = proc.memAvailableKiB();
        return available >= 0 ? Math.min(free, available / 4) : free;
    }

    /**
     * One interval: reads back, asks the policies, enforces.
     *
     * @param vms the host's VMs
     * @param nowNanos the time
     * @param nominalSeconds the interval's configured length (for the KSM pace)
     */
    synchronized void interval(List<QemuVm> vms, long nowNanos, double nominalSeconds) {
        lastIntervalNanos = nowNanos;
        double coreMhz = spec.mhzPerCore();
        List<QemuVm> live = new ArrayList<>();
        List<CpuDemand> demands = new ArrayList<>();
        Map<String, double[]> figures = new HashMap<>(); // vm -> {demand, used}
        for (QemuVm vm : vms) {
            if (vm.ended()) {
                continue;
            }
            live.add(vm);
            double used = used(vm, groups.get(vm.name()), nowNanos, coreMhz);
            boolean running = vm.state() == VmState.RUNNING || vm.state() == VmState.STARTING;
            double demand = running ? DemandEstimator.estimate(vm.spec().vcpus(), coreMhz, used, vm.readyMhz()) : 0;
            figures.put(vm.name(), new double[] {demand, Math.max(0, used)});
            if (running) {
                demands.add(new CpuDemand(vm.name(), vm.spec().vcpus(), vm.spec().cpu(), demand));
            }
        }
        double capacity = Math.max(0, spec.capacityMhz() - profile.reservedCpuMhz());
        CpuControl.Decision decision = CpuControl.decide(new CpuSnapshot(spec.name(), capacity, coreMhz, demands), policies.cpu());
        for (QemuVm vm : live) {
            Group g = groups.get(vm.name());
            Optional<CgroupCpuSettings> settings = decision.settings(vm.name());
            if (g != null && settings.isPresent() && !settings.get().equals(g.applied)) {
                try {
                    g.cgroup.applyCpu(settings.get());
                    g.applied = settings.get();
                } catch (HypervisorException e) {
                    once(vm.name() + ":cpu", vm.name(), "CPU settings not applied: " + e.getMessage());
                }
            }
            double[] f = figures.get(vm.name());
            double entitled = decision.entitlement(vm.name()).map(CpuEntitlement::entitledMhz).orElse(0.0);
            vm.control(new QemuVm.Control(f[0], entitled, f[1], note(vm.name(), g)));
        }
        report(decision);
        memory(live, nominalSeconds);
    }

    /** @return whether an interval is due */
    synchronized boolean due(long nowNanos, long intervalNanos) {
        return lastIntervalNanos < 0 || nowNanos - lastIntervalNanos >= intervalNanos;
    }

    private void memory(List<QemuVm> live, double nominalSeconds) {
        List<VmSnapshot> snapshots = new ArrayList<>(live.size());
        for (QemuVm vm : live) {
            snapshots.add(vm.snapshot());
        }
        MemorySnapshot host = MemoryControl.snapshot(spec.name(), spec.memoryMiB() * MemoryFigures.PAGES_PER_MIB,
                profile.reservedMemoryMiB() * MemoryFigures.PAGES_PER_MIB, freePages(snapshots), snapshots);
        MemoryControl.Outcome outcome = MemoryControl.decide(host, policies.memory(), policies.strategies());
        memoryState = outcome.plan().map(p -> p.state().name()).orElse("");
        for (QemuVm vm : live) {
            Long target = outcome.balloonTargetBytes().get(vm.name());
            if (target != null) {
                try {
                    vm.balloonTo(target);
                } catch (HypervisorException e) {
                    // no balloon driver yet (still booting) or paused: asked again next interval
                }
            }
        }
        ksm.request(spec.name(), outcome.scanPages() / Math.max(0.001, nominalSeconds));
        List<HostSwap.Vm> swapping = new ArrayList<>(live.size());
        for (int i = 0; i < live.size(); i++) {
            QemuVm vm = live.get(i);
            Group g = groups.get(vm.name());
            MemoryFigures m = snapshots.get(i).memory();
            swapping.add(new HostSwap.Vm(vm.name(), g == null ? null : g.cgroup, g == null ? -1 : g.memoryLimitBytes,
                    SwapControl.floorBytes(vm.spec().memoryMiB(), vm.spec().memory().reservationMiB(), memoryOverheadMiB),
                    m.residentPages() * MemoryFigures.PAGE_SIZE, m.swappedPages() * MemoryFigures.PAGE_SIZE));
        }
        swap.interval(swapping, outcome.swapPages());
        for (String op : outcome.notCarriedOut()) {
            String vm = op.substring(0, op.indexOf(':'));
            once(vm + ":compress", vm, "the qemu hypervisor does not carry out " + op.substring(op.indexOf(':') + 2)
                    + ": QEMU cannot compress guest memory; it is reclaimed by the balloon and, where the host has swap space,"
                    + " by swapping through the memory cgroup");
        }
        if (!outcome.problem().equals(memoryProblem)) {
            memoryProblem = outcome.problem();
            if (!memoryProblem.isEmpty()) {
                events.post(null, null, memoryProblem);
            }
        }
    }

    /** CPU used over the interval: from the cgroup when there is one, else from /proc; -1 before the first rate. */
    private static double used(QemuVm vm, Group g, long nowNanos, double coreMhz) {
        if (g == null) {
            return vm.procUsedMhz();
        }
        Optional<Long> usage = g.cgroup.usageNanos();
        if (usage.isEmpty()) {
            return vm.procUsedMhz();
        }
        if (g.lastUsageNanos >= 0 && nowNanos > g.lastNanos) {
            g.usedMhz = Math.max(0, (double) (usage.get() - g.lastUsageNanos) / (nowNanos - g.lastNanos) * coreMhz);
        }
        g.lastUsageNanos = usage.get();
        g.lastNanos = nowNanos;
        return g.usedMhz >= 0 ? g.usedMhz : vm.procUsedMhz();
    }

    private String note(String vm, Group g) {
        if (g == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder("cgroup ").append(g.cgroup.directory());
        CgroupCpuSettings s = g.applied;
        if (s != null) {
            sb.append(": ").append(s.isCapped() ? "quota " + s.quotaUs() + "/" + s.periodUs() + " µs" : "no quota")
                    .append(g.cgroup.version() == CgroupTree.Version.V1 ? ", shares " + s.shares() : ", weight " + s.weight());
        }
        if (g.memoryLimitBytes > 0) {
            sb.append(", memory limit ").append(g.memoryLimitBytes / MIB).append(" MiB");
        }
        swap.loweredBytes(vm).ifPresent(b -> sb.append(", swap limit ").append(SwapControl.mib(b)).append(" MiB (")
                .append(VmCgroup.swapLimitFile(g.cgroup.version())).append(')'));
        return sb.toString();
    }

    private void report(CpuControl.Decision decision) {
        Set<String> now = new LinkedHashSet<>(decision.allocation().warnings());
        for (String w : now) {
            if (!warnings.contains(w)) {
                events.post(null, null, w);
            }
        }
        warnings = now;
        if (!decision.problem().equals(cpuProblem)) {
            cpuProblem = decision.problem();
            if (!cpuProblem.isEmpty()) {
                events.post(null, null, cpuProblem);
            }
        }
    }

    private void once(String key, String vm, String message) {
        if (reported.add(key)) {
            events.post(vm, null, message);
        }
    }
}
