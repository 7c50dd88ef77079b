package org.vireo.hypervisor.qemu;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.vireo.api.hypervisor.HypervisorException;
import org.vireo.api.memory.MemoryOperation;
import org.vireo.hypervisor.qemu.cgroup.CgroupTree.Version;
import org.vireo.hypervisor.qemu.cgroup.VmCgroup;

/**
 * Carries out hypervisor swap on one host's memory cgroups, once per interval: reads back the
 * machine's swap space ({@code /proc/swaps}), each VM's swap limit and what its cgroup allows,
 * asks {@link SwapControl} and writes the limits it decides, and says what it did in the host's
 * events: {@code swap: limit of VM x lowered to N MiB (M MiB asked), host swap free F MiB}. Where
 * swap is not carried out (no swap space, no memory cgroup, swappiness 0), the reason is posted
 * once per VM and reason.
 * <p>
 * Nothing it writes outlives its use: a VM's limit is set afresh when its process is admitted
 * ({@link #admitted}); a VM whose process is gone has its group removed, and its swap limit lifted
 * where the group stays ({@link #forget}); a detached host lifts every limit it lowered
 * ({@link #restoreAll}), since nobody watches the swap for those guests any more.
 * <p>
 * Lowering a limit makes the kernel reclaim in the write itself, so the interval's thread waits
 * for the pages to reach swap; the swap strategy's per-interval budget bounds how long.
 */
final class HostSwap {
    private static final long MIB = 1024L * 1024L;

    /**
     * One VM as the host sees it this interval.
     *
     * @param name the VM's name
     * @param group its cgroup, or null when it runs outside cgroups
     * @param ceilingBytes its hard memory limit (guest memory plus QEMU's overhead), or -1 where none was set
     * @param floorBytes the least swap limit ({@link SwapControl#floorBytes})
     * @param residentBytes what its QEMU process holds ({@code VmRSS}, read back)
     * @param swappedBytes what its QEMU process has in swap ({@code VmSwap}, read back)
     */
    record Vm(String name, VmCgroup group, long ceilingBytes, long floorBytes, long residentBytes, long swappedBytes) {
    }

    /** A limit this host lowered, to lift it again. */
    private record Lowered(VmCgroup group, long ceilingBytes, long limitBytes) {
    }

    private final ProcFs proc;
    private final EventLog events;
    private final Version version;
    private final String noCgroups;
    private final long overheadMiB;
    private final Map<String, Lowered> lowered = new LinkedHashMap<>();
    private final Set<String> reported = new HashSet<>();
    /** How many limits are lowered, for {@link #describe} without waiting for an interval's writes. */
    private volatile int loweredCount;

    /**
     * @param proc reads {@code /proc/swaps} and {@code vm.swappiness}
     * @param events the host's events
     * @param version the host's cgroup version, or null where cgroups are not used
     * @param noCgroups why cgroups are not used, when {@code version} is null
     * @param overheadMiB QEMU's memory overhead
     */
    HostSwap(ProcFs proc, EventLog events, Version version, String noCgroups, long overheadMiB) {
        this.proc = proc;
        this.events = events;
        this.version = version;
        this.noCgroups = noCgroups;
        this.overheadMiB = overheadMiB;
    }

    /**
     * One interval.
     *
     * @param vms the host's live VMs
     * @param askedPages net pages asked per VM ({@code SWAP_OUT} positive, {@code SWAP_IN} negative)
     * @return the decision, or empty when no VM was asked to swap and none holds a lowered limit
     */
    synchronized Optional<SwapControl.Decision> interval(List<Vm> vms, Map<String, Long> askedPages) {
        Map<String, Vm> live = new LinkedHashMap<>();
        vms.forEach(vm -> live.put(vm.name(), vm));
        // the VMs asked, in the order the policy asked for them, then those holding a lowered limit
        Map<String, Vm> byName = new LinkedHashMap<>();
        askedPages.forEach((name, pages) -> {
            if (pages != 0 && live.containsKey(name)) {
                byName.put(name, live.get(name));
            }
        });
        live.forEach((name, vm) -> {
            if (lowered.containsKey(name)) {
                byName.putIfAbsent(name, vm);
            }
        });
        if (byName.isEmpty()) {
            return Optional.empty();
        }
        // v2 has no per-group swappiness: the machine's one is read once for all VMs
        long swappiness = version == Version.V2 ? proc.swappiness() : -1;
        List<SwapControl.Vm> figures = new ArrayList<>();
        byName.forEach((name, vm) -> figures.add(figures(vm, askedPages.getOrDefault(name, 0L), swappiness)));
        SwapControl.Decision decision = SwapControl.decide(version, proc.swapSpace().orElse(null), figures);
        for (SwapControl.Step step : decision.steps()) {
            carryOut(byName.get(step.vm()), step, decision);
        }
        loweredCount = lowered.size();
        return Optional.of(decision);
    }

    /**
     * A VM's process was admitted and its limit set afresh: nothing lowered remains.
     *
     * @param vm the VM's name
     */
    synchronized void admitted(String vm) {
        lowered.remove(vm);
        loweredCount = lowered.size();
    }

    /**
     * A VM's process is gone. Where its group could not be removed, its swap limit is lifted, so
     * that the group a later start finds constrains nothing (the start sets the limit afresh too).
     *
     * @param vm the VM's name
     * @param groupRemoved whether its cgroup is gone
     */
    synchronized void forget(String vm, boolean groupRemoved) {
        Lowered l = lowered.remove(vm);
        if (l != null && !groupRemoved) {
            lift(vm, l);
        }
        loweredCount = lowered.size();
        reported.removeIf(r -> r.startsWith(vm + ":"));
    }

    /**
     * The host is detached: every limit it lowered goes back to the guest's memory plus QEMU's overhead.
     */
    synchronized void restoreAll() {
        for (Map.Entry<String, Lowered> e : lowered.entrySet()) {
            if (lift(e.getKey(), e.getValue())) {
                events.post(e.getKey(), null, "swap: limit of VM " + e.getKey() + " restored to " + e.getValue().ceilingBytes() / MIB
                        + " MiB (its memory plus QEMU's overhead): the host is detached");
            }
        }
        lowered.clear();
        loweredCount = 0;
    }

    /**
     * @param vm a VM's name
     * @return the swap limit this host lowered it to, bytes, while it is lowered
     */
    synchronized OptionalLong loweredBytes(String vm) {
        Lowered l = lowered.get(vm);
        return l == null ? OptionalLong.empty() : OptionalLong.of(l.limitBytes());
    }

    /** @return for {@code host:info}: the machine's swap space and what the host does with it; never waits for an interval */
    String describe() {
        Optional<ProcFs.SwapSpace> swap = proc.swapSpace();
        if (swap.isEmpty()) {
            return "swap: /proc/swaps cannot be read, hypervisor swap not carried out";
        }
        if (swap.get().totalKiB() <= 0) {
            return "swap: none on the machine, hypervisor swap not carried out";
        }
        String through = version == null ? "not carried out (" + noCgroups + ")" : "through " + SwapControl.limitFile(version);
        return "swap: " + swap.get().freeKiB() / 1024 + " MiB free of " + swap.get().totalKiB() / 1024 + " MiB, hypervisor swap "
                + through + (loweredCount == 0 ? "" : ", " + loweredCount + " VM limit(s) lowered");
    }

    /** @param swappiness the machine's {@code vm.swappiness} on cgroup v2, else -1 */
    private SwapControl.Vm figures(Vm vm, long asked, long swappiness) {
        VmCgroup g = vm.group();
        String blocker = "";
        long ceiling = Math.max(0, vm.ceilingBytes());
        long limit = ceiling;
        long room = Long.MAX_VALUE;
        if (g == null) {
            blocker = version == null ? "no cgroups are used: " + noCgroups : "the VM runs outside cgroups";
        } else if (vm.ceilingBytes() <= 0) {
            blocker = "its cgroup has no memory limit (no memory controller)";
        } else {
            Lowered l = lowered.get(vm.name());
            OptionalLong read = g.swapLimit();
            limit = read.isPresent() ? read.getAsLong() : l != null ? l.limitBytes() : ceiling;
            room = g.swapRoomBytes();
            blocker = g.swapBlocker(ceiling).orElse("");
            if (blocker.isEmpty() && version == Version.V2 && swappiness == 0) {
                blocker = "vm.swappiness is 0: the kernel would not swap the group's memory";
            }
        }
        return new SwapControl.Vm(vm.name(), asked, vm.residentBytes(), vm.swappedBytes(), limit, ceiling, vm.floorBytes(), room,
                blocker);
    }

    private void carryOut(Vm vm, SwapControl.Step step, SwapControl.Decision decision) {
        String name = step.vm();
        String asked = step.askedPages() == 0 ? "none asked"
                : SwapControl.mib(Math.abs(step.askedPages()) * 4096L) + " MiB " + (step.askedPages() > 0 ? "asked" : "asked back");
        String free = "host swap free " + SwapControl.mib(decision.swapFreeBytes()) + " MiB";
        switch (step.change()) {
            case LOWER, RAISE -> {
                try {
                    vm.group().limitSwap(step.toBytes());
                } catch (HypervisorException e) {
                    once(name + ":write:" + key(e.getMessage()), name, "swap: limit of VM " + name + " not changed: " + e.getMessage());
                    return;
                }
                lowered.put(name, new Lowered(vm.group(), vm.ceilingBytes(), step.toBytes()));
                reported.removeIf(r -> r.startsWith(name + ":"));
                events.post(name, null, "swap: limit of VM " + name + (step.change() == SwapControl.Change.LOWER ? " lowered" : " raised")
                        + " to " + SwapControl.mib(step.toBytes()) + " MiB (" + asked + "), " + free + " (" + decision.file() + ")"
                        + (step.reason().isEmpty() ? "" : "; " + step.reason()));
            }
            case RESTORE -> {
                Lowered l = lowered.getOrDefault(name, new Lowered(vm.group(), vm.ceilingBytes(), step.fromBytes()));
                if (lift(name, l)) {
                    lowered.remove(name);
                    reported.removeIf(r -> r.startsWith(name + ":"));
                    events.post(name, null, "swap: limit of VM " + name + " restored to " + SwapControl.mib(step.toBytes())
                            + " MiB (its memory plus QEMU's overhead; " + asked + "), " + free
                            + (step.reason().isEmpty() ? "" : ": " + step.reason()));
                }
            }
            case HOLD -> once(name + ":hold:" + key(step.reason()), name, "swap: limit of VM " + name + " stays at "
                    + SwapControl.mib(step.fromBytes()) + " MiB (" + asked + "), " + free
                    + (step.reason().isEmpty() ? "" : ": " + step.reason()));
            case NOT_CARRIED_OUT -> {
                MemoryOperation op = step.askedPages() > 0 ? MemoryOperation.SWAP_OUT : MemoryOperation.SWAP_IN;
                once(name + ":swap:" + key(step.reason()), name, "the qemu hypervisor does not carry out " + op + " of "
                        + Math.abs(step.askedPages()) + " pages: " + step.reason() + "; guest memory is reclaimed by the balloon,"
                        + " and the memory cgroup limit stays at the guest's memory plus " + overheadMiB + " MiB, as a lower one"
                        + " the kernel cannot reclaim to swap would make it kill the guest");
            }
        }
    }

    /** @return whether the limit is lifted; a failure is posted */
    private boolean lift(String vm, Lowered l) {
        try {
            l.group().clearSwapLimit(l.ceilingBytes());
            return true;
        } catch (HypervisorException e) {
            once(vm + ":write:" + key(e.getMessage()), vm, "swap: limit of VM " + vm + " could not be restored: " + e.getMessage());
            return false;
        }
    }

    /** @return a reason with its figures masked: the same reason with other figures is not posted again */
    private static String key(String reason) {
        return reason.replaceAll("[0-9][0-9.]*", "#");
    }

    private void once(String key, String vm, String message) {
        if (reported.add(key)) {
            events.post(vm, null, message);
        }
    }
}
