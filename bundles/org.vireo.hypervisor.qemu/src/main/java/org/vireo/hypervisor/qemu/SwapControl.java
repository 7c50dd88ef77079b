package org.vireo.hypervisor.qemu;

import java.util.ArrayList;
import java.util.List;
import org.vireo.api.hypervisor.MemoryFigures;
import org.vireo.hypervisor.qemu.cgroup.CgroupTree.Version;
import org.vireo.hypervisor.qemu.cgroup.VmCgroup;

/**
 * One host's hypervisor swap decision for one interval, a pure function of the figures read back:
 * what the {@code SWAP_OUT} and {@code SWAP_IN} operations of the swap strategy mean for each VM's
 * memory cgroup.
 * <p>
 * <b>How a QEMU process is swapped.</b> Lowering the memory its cgroup may hold makes the kernel
 * reclaim the group down to that limit: page cache first, then anonymous memory (the guest's RAM)
 * written to swap. Raising the limit lets the guest fault its pages back in as it touches them;
 * the kernel does not read them ahead, so after a {@code SWAP_IN} the swapped figure (the QEMU
 * process's {@code VmSwap}, read back each interval) falls as the guest uses its memory. The
 * file is {@link VmCgroup#swapLimitFile}: v1 {@code memory.limit_in_bytes}, v2
 * {@code memory.high} (which throttles instead of killing; {@code memory.max} stays at the
 * guest's memory plus QEMU's overhead).
 * <p>
 * <b>The contract</b>, per VM, in the order given (the reclaim policy's priority). {@code limit}
 * is the swap limit in force (read back, at most the ceiling), {@code ceiling} the guest's memory
 * plus QEMU's overhead (the hard limit), {@code swapped} what the QEMU process has in swap now
 * ({@code VmSwap}), {@code resident} what it holds in memory ({@code VmRSS}). A lowered limit
 * <em>claims</em> {@code ceiling - limit - swapped}: the swap the VM would still need if the guest
 * touched all its memory. The free swap is shared out by claims: their sum never exceeds the
 * host's free swap less {@value #RESERVE_MIB} MiB kept in reserve, so no guest can run out of
 * swap under a limit it was given (v1 would kill it, v2 stall it).
 * <ul>
 * <li><b>Swap unusable</b> — no swap space ({@code /proc/swaps} lists none or cannot be read), or
 * a {@link Vm#blocker} (no memory cgroup, swappiness 0, ...): a lowered limit is restored to the
 * ceiling ({@link Change#RESTORE}); otherwise an asked operation is
 * {@link Change#NOT_CARRIED_OUT}, with the reason.</li>
 * <li><b>Swap nearly full</b> — less than the reserve free on the host, or no swap left to the
 * VM's cgroup ({@link Vm#cgroupRoomBytes}), while its limit is lowered: the limit is restored.</li>
 * <li><b>{@code SWAP_OUT} of n pages</b> — the new limit is {@code min(limit, resident) - n pages},
 * never below {@link #floorBytes the floor}, never so low that the VM's claim exceeds what is left
 * of the free swap (nor its cgroup's swap room), never above the limit in force. When that
 * leaves the limit where it is: {@link Change#HOLD}, saying which bound held it. Nothing is done
 * before the resident memory has been read.</li>
 * <li><b>{@code SWAP_IN} of n pages</b> — the limit rises by n pages, at most to the ceiling
 * ({@link Change#RESTORE} when it gets there, {@link Change#RAISE} before); {@link Change#HOLD}
 * when it is at the ceiling already.</li>
 * <li>Neither asked: a lowered limit stays.</li>
 * </ul>
 * Limits written are whole pages. Several hosts of one machine share its swap and decide in turn,
 * each from the free swap read at its own interval; the reserve absorbs what they do meanwhile,
 * and the nearly-full rule undoes limits the swap no longer covers.
 */
final class SwapControl {
    /** Swap space kept free: no limit is lowered into it, and lowered limits are restored once less is free. */
    static final long RESERVE_MIB = 64;
    /** The least guest memory a swap limit leaves, when the VM's reservation is smaller. */
    static final long MIN_GUEST_MIB = MemoryControl.MIN_GUEST_MIB;

    private static final long MIB = 1024L * 1024L;
    private static final long PAGE = MemoryFigures.PAGE_SIZE;

    private SwapControl() {
    }

    /** What happens to one VM's swap limit. */
    enum Change {
        /** Lowered: more of the VM's memory goes to swap. */
        LOWER,
        /** Raised, still below the ceiling. */
        RAISE,
        /** Back at the ceiling: no swap limit any more (v2 {@code memory.high} is {@code max}). */
        RESTORE,
        /** Asked, but a bound keeps the limit where it is. */
        HOLD,
        /** Asked, but swap is not carried out for the VM at all. */
        NOT_CARRIED_OUT
    }

    /**
     * One VM's figures, all read back this interval.
     *
     * @param vm the VM's name
     * @param askedPages net pages asked: {@code SWAP_OUT} positive, {@code SWAP_IN} negative, 0 for none
     * @param residentBytes what the QEMU process holds now ({@code VmRSS}); 0 or less when not read yet
     * @param swappedBytes what it has in swap now ({@code VmSwap})
     * @param limitBytes the swap limit in force, read back from its cgroup; the ceiling (or more) for none
     * @param ceilingBytes the guest's memory plus QEMU's overhead: the hard limit
     * @param floorBytes the least the limit may be ({@link #floorBytes})
     * @param cgroupRoomBytes what the VM's cgroup may still write to swap ({@link VmCgroup#swapRoomBytes})
     * @param blocker why swap cannot be used for this VM (no memory cgroup, swappiness 0, ...), or empty
     */
    record Vm(String vm, long askedPages, long residentBytes, long swappedBytes, long limitBytes, long ceilingBytes,
            long floorBytes, long cgroupRoomBytes, String blocker) {
    }

    /**
     * @param vm the VM
     * @param change what happens
     * @param askedPages the net pages asked (as in {@link Vm#askedPages})
     * @param fromBytes the limit in force
     * @param toBytes the limit to write (equal to {@code fromBytes} for {@code HOLD} and {@code NOT_CARRIED_OUT})
     * @param reason for people: why it was bounded, held, restored or not carried out; empty for a plain change
     */
    record Step(String vm, Change change, long askedPages, long fromBytes, long toBytes, String reason) {
    }

    /**
     * @param file the file a limit goes to ({@link VmCgroup#swapLimitFile})
     * @param swapFreeBytes the host's free swap as read, before this interval's decisions
     * @param steps one per VM that needs one, in the order given
     */
    record Decision(String file, long swapFreeBytes, List<Step> steps) {
    }

    /**
     * @param version the host's cgroup version
     * @return the file lowered for swap: v1 {@code memory.limit_in_bytes}, v2 {@code memory.high}
     */
    static String limitFile(Version version) {
        return VmCgroup.swapLimitFile(version);
    }

    /**
     * @param memoryMiB the guest's memory
     * @param reservationMiB its reservation
     * @param overheadMiB QEMU's overhead
     * @return the least swap limit: the reservation, but at least {@value #MIN_GUEST_MIB} MiB and
     *         at most the guest's memory, plus QEMU's overhead
     */
    static long floorBytes(long memoryMiB, long reservationMiB, long overheadMiB) {
        return (Math.min(memoryMiB, Math.max(reservationMiB, MIN_GUEST_MIB)) + overheadMiB) * MIB;
    }

    /**
     * @param version the host's cgroup version
     * @param swap the machine's swap space, or null when {@code /proc/swaps} cannot be read
     * @param vms the VMs asked to swap or holding a lowered limit
     * @return what to write
     */
    static Decision decide(Version version, ProcFs.SwapSpace swap, List<Vm> vms) {
        String noSwap = swap == null ? "the host's swap space cannot be read (/proc/swaps)"
                : swap.totalKiB() <= 0 ? "the host has no swap space (/proc/swaps lists none)" : "";
        long hostFree = swap == null ? 0 : swap.freeKiB() * 1024;
        long reserve = RESERVE_MIB * MIB;
        long unclaimed = hostFree - reserve;
        for (Vm vm : vms) {
            unclaimed -= claim(vm, Math.min(vm.limitBytes(), vm.ceilingBytes()));
        }
        List<Step> steps = new ArrayList<>();
        for (Vm vm : vms) {
            long ceiling = vm.ceilingBytes();
            long limit = Math.min(vm.limitBytes(), ceiling);
            long asked = vm.askedPages();
            long claimed = claim(vm, limit);
            String unusable = !noSwap.isEmpty() ? noSwap : vm.blocker();
            if (unusable.isEmpty() && limit < ceiling && (hostFree < reserve || vm.cgroupRoomBytes() <= 0)) {
                unusable = vm.cgroupRoomBytes() <= 0 ? "its cgroup may write no more to swap (memory.swap.max reached)"
                        : "the host's free swap (" + mib(hostFree) + " MiB) is below the " + RESERVE_MIB + " MiB kept in reserve";
            }
            if (!unusable.isEmpty()) {
                if (limit < ceiling) {
                    steps.add(new Step(vm.vm(), Change.RESTORE, asked, limit, ceiling, unusable));
                    unclaimed += claimed;
                } else if (asked != 0) {
                    steps.add(new Step(vm.vm(), Change.NOT_CARRIED_OUT, asked, limit, limit, unusable));
                }
                continue;
            }
            if (asked > 0) {
                long available = Math.min(Math.max(0, unclaimed + claimed), vm.cgroupRoomBytes());
                Step out = swapOut(vm, asked, limit, available, hostFree, unclaimed + claimed);
                steps.add(out);
                unclaimed -= claim(vm, out.toBytes()) - claimed;
            } else if (asked < 0) {
                if (limit >= ceiling) {
                    steps.add(new Step(vm.vm(), Change.HOLD, asked, limit, limit, "its limit is already the guest's memory plus"
                            + " QEMU's overhead; swapped pages come back as the guest touches them"));
                } else {
                    long to = Math.min(ceiling, saturatedAdd(limit, bytes(-asked)));
                    steps.add(new Step(vm.vm(), to == ceiling ? Change.RESTORE : Change.RAISE, asked, limit, to, ""));
                    unclaimed += claimed - claim(vm, to);
                }
            }
        }
        return new Decision(limitFile(version), hostFree, steps);
    }

    /** @return the swap a VM would still need under a limit if its guest touched all its memory */
    static long claim(Vm vm, long limit) {
        return Math.max(0, vm.ceilingBytes() - limit - Math.max(0, vm.swappedBytes()));
    }

    private static Step swapOut(Vm vm, long asked, long limit, long available, long hostFree, long unclaimed) {
        if (vm.residentBytes() <= 0) {
            return new Step(vm.vm(), Change.HOLD, asked, limit, limit, "the QEMU process's resident memory has not been read yet");
        }
        long want = Math.min(limit, vm.residentBytes()) - bytes(asked);
        long bySwap = vm.ceilingBytes() - Math.max(0, vm.swappedBytes()) - available; // the claim stays within what is available
        long to = alignUp(Math.max(want, Math.max(vm.floorBytes(), bySwap)));
        String bound = to <= alignUp(want) ? ""
                : vm.floorBytes() >= bySwap ? "held at its floor of " + mib(vm.floorBytes()) + " MiB (its reservation, at least "
                        + MIN_GUEST_MIB + " MiB, plus QEMU's overhead)"
                : vm.cgroupRoomBytes() < Math.max(0, unclaimed) ? "bounded by its cgroup's swap limit: " + mib(vm.cgroupRoomBytes())
                        + " MiB of swap left to it must hold whatever of the guest is above the limit"
                : "bounded by the free swap: " + mib(hostFree) + " MiB free, less " + RESERVE_MIB + " MiB kept in reserve and what"
                        + " lowered limits may still need, leaves " + mib(available) + " MiB for whatever of the guest is above"
                        + " the limit";
        if (to >= limit) {
            return new Step(vm.vm(), Change.HOLD, asked, limit, limit, bound);
        }
        return new Step(vm.vm(), Change.LOWER, asked, limit, to, bound);
    }

    private static long bytes(long pages) {
        return Math.min(pages, Long.MAX_VALUE / PAGE) * PAGE;
    }

    private static long alignUp(long bytes) {
        return bytes <= 0 ? 0 : -Math.floorDiv(-bytes, PAGE) * PAGE;
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    /** @return bytes as MiB for people: whole where exact, else one decimal */
    static String mib(long bytes) {
        if (bytes == Long.MAX_VALUE) {
            return "unlimited";
        }
        return bytes % MIB == 0 ? Long.toString(bytes / MIB) : String.format(java.util.Locale.ROOT, "%.1f", bytes / (double) MIB);
    }
}
