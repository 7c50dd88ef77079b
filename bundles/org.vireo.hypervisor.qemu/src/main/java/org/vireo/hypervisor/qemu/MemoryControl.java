package org.vireo.hypervisor.qemu;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.vireo.api.hypervisor.MemoryFigures;
import org.vireo.api.hypervisor.VmSnapshot;
import org.vireo.api.memory.MemoryAction;
import org.vireo.api.memory.MemoryReclaimPolicy;
import org.vireo.api.memory.MemoryReuseStrategy;
import org.vireo.api.memory.MemorySnapshot;
import org.vireo.api.memory.MemoryTechnique;
import org.vireo.api.memory.ReclaimPlan;
import org.vireo.api.memory.ReclaimRequest;
import org.vireo.api.memory.VmMemory;

/**
 * One host's memory decision for one interval, a pure function of the figures read back from
 * QEMU, {@code /proc} and the guests: the {@link MemorySnapshot}, the active reclaim policy's
 * plan, each installed strategy's operations, and what they mean for real guests.
 * <ul>
 * <li>{@code BALLOON_INFLATE}/{@code BALLOON_DEFLATE} move the VM's balloon target from the
 * memory the guest holds now (QEMU's {@code query-balloon}) by the pages asked, never below
 * {@link #floorPages} nor above the configured memory;</li>
 * <li>{@code SHARE_SCAN} pages are added up: KSM scans that many pages of the host per interval;</li>
 * <li>{@code SWAP_OUT}/{@code SWAP_IN} pages are netted per VM ({@code SWAP_OUT} positive) into
 * {@link Outcome#swapPages}; {@link SwapControl} decides what they mean for the VM's memory
 * cgroup: a lower limit where the host has swap space, a report where it has none;</li>
 * <li>compression is not carried out (QEMU cannot compress guest pages in memory); it is
 * reported instead.</li>
 * </ul>
 * Only the highest-ranked strategy of each technique runs. The policy sees every technique
 * whose strategy is installed.
 */
final class MemoryControl {
    /** The least memory a balloon leaves a guest that has no larger reservation. */
    static final long MIN_GUEST_MIB = 64;

    private MemoryControl() {
    }

    /**
     * @param plan the reclaim policy's plan, or empty without a policy
     * @param balloonTargetBytes the new balloon target of each VM whose balloon moves
     * @param scanPages pages KSM is to scan this interval
     * @param swapPages net swap pages asked per VM, {@code SWAP_OUT} positive and {@code SWAP_IN}
     *        negative, in the order the strategy asked for them
     * @param notCarriedOut operations the qemu hypervisor does not carry out, for people
     * @param problem a policy or strategy that failed, or empty
     */
    record Outcome(Optional<ReclaimPlan> plan, Map<String, Long> balloonTargetBytes, long scanPages, Map<String, Long> swapPages,
            List<String> notCarriedOut, String problem) {
    }

    /**
     * @param host the host's name
     * @param totalPages the host's memory
     * @param hypervisorPages what the hypervisor keeps for itself
     * @param freePages what neither guests nor the hypervisor use
     * @param vms the VMs holding memory, with the figures read back
     * @return the snapshot the policy decides on
     */
    static MemorySnapshot snapshot(String host, long totalPages, long hypervisorPages, long freePages, List<VmSnapshot> vms) {
        List<VmMemory> list = new ArrayList<>(vms.size());
        for (VmSnapshot v : vms) {
            MemoryFigures m = v.memory();
            long configured = m.configuredPages();
            double active = configured == 0 ? 0 : Math.min(1, Math.max(0, (double) m.activePages() / configured));
            list.add(new VmMemory(v.name(), configured, v.spec().memory().reservationMiB() * MemoryFigures.PAGES_PER_MIB,
                    v.spec().memory().shares(), m.residentPages(), m.sharedPages(), m.balloonedPages(), m.swappedPages(), active));
        }
        return new MemorySnapshot(host, totalPages, hypervisorPages, freePages, list);
    }

    /**
     * @param vm a VM of a snapshot
     * @return the least memory its balloon leaves it: its reservation, at least {@value #MIN_GUEST_MIB} MiB, at most its memory
     */
    static long floorPages(VmMemory vm) {
        return Math.min(vm.configuredPages(), Math.max(vm.reservedPages(), MIN_GUEST_MIB * MemoryFigures.PAGES_PER_MIB));
    }

    /**
     * @param host the host's memory
     * @param policy the active reclaim policy
     * @param strategies the installed strategies, highest-ranked first
     * @return what to do this interval
     */
    static Outcome decide(MemorySnapshot host, Optional<MemoryReclaimPolicy> policy, List<MemoryReuseStrategy> strategies) {
        Map<MemoryTechnique, MemoryReuseStrategy> byTechnique = new LinkedHashMap<>();
        StringBuilder problem = new StringBuilder();
        for (MemoryReuseStrategy s : strategies) {
            try {
                byTechnique.putIfAbsent(s.technique(), s);
            } catch (RuntimeException e) {
                note(problem, "the memory strategy " + s.getClass().getSimpleName() + " failed: " + e.getMessage());
            }
        }
        Set<MemoryTechnique> available = byTechnique.isEmpty() ? EnumSet.noneOf(MemoryTechnique.class)
                : EnumSet.copyOf(byTechnique.keySet());
        Optional<ReclaimPlan> plan = Optional.empty();
        if (policy.isPresent()) {
            try {
                plan = Optional.of(policy.get().plan(host, available));
            } catch (RuntimeException e) {
                note(problem, "the memory reclaim policy " + policy.get().getClass().getSimpleName() + " failed on host "
                        + host.host() + ": " + e.getMessage());
            }
        }
        List<ReclaimRequest> requests = plan.map(ReclaimPlan::requests).orElse(List.of());
        List<MemoryAction> actions = new ArrayList<>();
        for (Map.Entry<MemoryTechnique, MemoryReuseStrategy> e : byTechnique.entrySet()) {
            List<ReclaimRequest> mine = requests.stream().filter(r -> r.technique() == e.getKey()).toList();
            try {
                actions.addAll(e.getValue().actions(host, mine));
            } catch (RuntimeException ex) {
                note(problem, "the memory strategy " + e.getValue().getClass().getSimpleName() + " failed: " + ex.getMessage());
            }
        }

        Map<String, VmMemory> vms = new LinkedHashMap<>();
        host.vms().forEach(v -> vms.putIfAbsent(v.vm(), v));
        Map<String, Long> balloonDelta = new LinkedHashMap<>();
        long scan = 0;
        Map<String, Long> swap = new LinkedHashMap<>();
        List<String> notCarriedOut = new ArrayList<>();
        for (MemoryAction a : actions) {
            if (!vms.containsKey(a.vm()) || a.pages() <= 0) {
                continue;
            }
            switch (a.operation()) {
                case BALLOON_INFLATE -> balloonDelta.merge(a.vm(), -a.pages(), Long::sum);
                case BALLOON_DEFLATE -> balloonDelta.merge(a.vm(), a.pages(), Long::sum);
                case SHARE_SCAN -> scan += a.pages();
                // at most the VM's memory each: more means nothing, and sums stay far from overflowing
                case SWAP_OUT -> swap.merge(a.vm(), Math.min(a.pages(), vms.get(a.vm()).configuredPages()), Long::sum);
                case SWAP_IN -> swap.merge(a.vm(), -Math.min(a.pages(), vms.get(a.vm()).configuredPages()), Long::sum);
                default -> notCarriedOut.add(a.vm() + ": " + a.operation() + " of " + a.pages() + " pages");
            }
        }
        Map<String, Long> targets = new LinkedHashMap<>();
        balloonDelta.forEach((name, delta) -> {
            VmMemory vm = vms.get(name);
            long held = vm.configuredPages() - Math.max(0, vm.balloonedPages());
            long target = Math.max(floorPages(vm), Math.min(vm.configuredPages(), held + delta));
            if (target != held) {
                targets.put(name, target * MemoryFigures.PAGE_SIZE);
            }
        });
        swap.values().removeIf(pages -> pages == 0);
        return new Outcome(plan, targets, scan, swap, notCarriedOut, problem.toString());
    }

    private static void note(StringBuilder sb, String text) {
        sb.append(sb.length() == 0 ? "" : "; ").append(text);
    }
}
