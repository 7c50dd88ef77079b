package org.vireo.memory.sharing;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vireo.api.memory.MemoryAction;
import org.vireo.api.memory.MemoryOperation;
import org.vireo.api.memory.MemorySnapshot;
import org.vireo.api.memory.MemoryTechnique;
import org.vireo.api.memory.ReclaimRequest;
import org.vireo.api.memory.VmMemory;

/**
 * Spreads the page scanner's budget for one interval over a host's VMs, a pure function of the
 * snapshot, the requests and the budget.
 * <ol>
 * <li>Positive SHARING requests (a reclaim policy may ask for a VM to be scanned first) are
 * served in their order, each at most the VM's resident pages.</li>
 * <li>The rest of the budget is divided in proportion to the VMs' resident pages, so every VM's
 * memory is scanned at the same pace (its whole memory once per the same number of intervals,
 * as ESX paces its scan per VM). No VM gets more than its resident pages in one interval; what
 * a small VM cannot use goes to the others. Rounding: largest remainder first, ties in snapshot
 * order.</li>
 * </ol>
 * One {@link MemoryOperation#SHARE_SCAN} per VM with pages to scan, in snapshot order. VMs not
 * in the snapshot and requests for other techniques are ignored.
 */
final class ScanPlanner {
    private final long pagesPerInterval;

    /** @param pagesPerInterval the host's scan budget per interval */
    ScanPlanner(long pagesPerInterval) {
        this.pagesPerInterval = pagesPerInterval;
    }

    List<MemoryAction> actions(MemorySnapshot host, List<ReclaimRequest> requests) {
        Map<String, VmMemory> vms = new LinkedHashMap<>();
        for (VmMemory vm : host.vms()) {
            vms.putIfAbsent(vm.vm(), vm);
        }
        Map<String, Long> scan = new LinkedHashMap<>();
        for (String name : vms.keySet()) {
            scan.put(name, 0L);
        }
        long budget = pagesPerInterval;
        for (ReclaimRequest r : requests) {
            VmMemory vm = vms.get(r.vm());
            if (vm == null || r.technique() != MemoryTechnique.SHARING || r.pages() <= 0 || budget == 0) {
                continue;
            }
            long room = Math.max(0, vm.residentPages()) - scan.get(r.vm());
            long pages = Math.min(Math.min(r.pages(), room), budget);
            scan.merge(r.vm(), pages, Long::sum);
            budget -= pages;
        }
        spread(vms, scan, budget);
        List<MemoryAction> actions = new ArrayList<>();
        scan.forEach((vm, pages) -> {
            if (pages > 0) {
                actions.add(new MemoryAction(vm, MemoryOperation.SHARE_SCAN, pages));
            }
        });
        return actions;
    }

    /** Divides {@code budget} in proportion to resident pages, each VM capped at its resident pages. */
    private static void spread(Map<String, VmMemory> vms, Map<String, Long> scan, long budget) {
        List<String> open = new ArrayList<>();
        for (VmMemory vm : vms.values()) {
            if (room(vm, scan) > 0) {
                open.add(vm.vm());
            }
        }
        while (budget > 0 && !open.isEmpty()) {
            long weight = 0;
            for (String name : open) {
                weight += vms.get(name).residentPages();
            }
            // VMs whose proportional part reaches their room are filled, and the rest re-divided
            List<String> full = new ArrayList<>();
            for (String name : open) {
                long room = room(vms.get(name), scan);
                if (mulDiv(budget, vms.get(name).residentPages(), weight) >= room) {
                    full.add(name);
                }
            }
            if (!full.isEmpty()) {
                for (String name : full) {
                    long room = room(vms.get(name), scan);
                    long pages = Math.min(room, budget);
                    scan.merge(name, pages, Long::sum);
                    budget -= pages;
                }
                open.removeAll(full);
                continue;
            }
            long given = 0;
            long[] parts = new long[open.size()];
            BigInteger[] remainders = new BigInteger[open.size()];
            for (int i = 0; i < open.size(); i++) {
                BigInteger[] qr = BigInteger.valueOf(budget)
                        .multiply(BigInteger.valueOf(vms.get(open.get(i)).residentPages()))
                        .divideAndRemainder(BigInteger.valueOf(weight));
                parts[i] = qr[0].longValueExact();
                remainders[i] = qr[1];
                given += parts[i];
            }
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < open.size(); i++) {
                order.add(i);
            }
            order.sort((a, b) -> {
                int c = remainders[b].compareTo(remainders[a]);
                return c != 0 ? c : Integer.compare(a, b);
            });
            // fewer leftover pages than open VMs; each part is below its room, so +1 fits
            for (int i = 0; i < budget - given; i++) {
                parts[order.get(i)]++;
            }
            for (int i = 0; i < open.size(); i++) {
                scan.merge(open.get(i), parts[i], Long::sum);
            }
            budget = 0;
        }
    }

    private static long room(VmMemory vm, Map<String, Long> scan) {
        return Math.max(0, vm.residentPages()) - scan.get(vm.vm());
    }

    private static long mulDiv(long a, long b, long c) {
        return BigInteger.valueOf(a).multiply(BigInteger.valueOf(b)).divide(BigInteger.valueOf(c)).longValueExact();
    }
}
