package org.vireo.memory.sharing;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
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
        List<VmMemory> snapshot = host.vms();
        Map<String, Integer> index = new HashMap<>(snapshot.size() * 2);
        List<VmMemory> vms = new ArrayList<>(snapshot.size());
        for (VmMemory vm : snapshot) {
            if (index.putIfAbsent(vm.vm(), vms.size()) == null) {
                vms.add(vm);
            }
        }
        long[] scan = new long[vms.size()];
        long budget = pagesPerInterval;
        for (ReclaimRequest r : requests) {
            Integer i = index.get(r.vm());
            if (i == null || r.technique() != MemoryTechnique.SHARING || r.pages() <= 0 || budget == 0) {
                continue;
            }
            long pages = Math.min(Math.min(r.pages(), room(vms.get(i), scan[i])), budget);
            scan[i] += pages;
            budget -= pages;
        }
        spread(vms, scan, budget);
        List<MemoryAction> actions = new ArrayList<>(scan.length);
        for (int i = 0; i < scan.length; i++) {
            if (scan[i] > 0) {
                actions.add(new MemoryAction(vms.get(i).vm(), MemoryOperation.SHARE_SCAN, scan[i]));
            }
        }
        return actions;
    }

    /** Divides {@code budget} in proportion to resident pages, each VM capped at its resident pages. */
    private static void spread(List<VmMemory> vms, long[] scan, long budget) {
        int[] open = new int[vms.size()];
        int count = 0;
        for (int i = 0; i < vms.size(); i++) {
            if (room(vms.get(i), scan[i]) > 0) {
                open[count++] = i;
            }
        }
        boolean[] full = new boolean[vms.size()];
        while (budget > 0 && count > 0) {
            long weight = 0;
            for (int k = 0; k < count; k++) {
                weight += vms.get(open[k]).residentPages();
            }
            // VMs whose proportional part reaches their room are filled, and the rest re-divided
            boolean anyFull = false;
            for (int k = 0; k < count; k++) {
                int i = open[k];
                full[i] = mulDiv(budget, vms.get(i).residentPages(), weight) >= room(vms.get(i), scan[i]);
                anyFull |= full[i];
            }
            if (anyFull) {
                int kept = 0;
                for (int k = 0; k < count; k++) {
                    int i = open[k];
                    if (full[i]) {
                        long pages = Math.min(room(vms.get(i), scan[i]), budget);
                        scan[i] += pages;
                        budget -= pages;
                    } else {
                        open[kept++] = i;
                    }
                }
                count = kept;
                continue;
            }
            long given = 0;
            long[] parts = new long[count];
            long[] remainders = new long[count];
            int[] order = new int[count];
            for (int k = 0; k < count; k++) {
                long resident = vms.get(open[k]).residentPages();
                parts[k] = mulDiv(budget, resident, weight);
                remainders[k] = mulMod(budget, resident, weight);
                given += parts[k];
                // insertion by remainder, largest first; ties keep snapshot order
                int j = k;
                while (j > 0 && remainders[order[j - 1]] < remainders[k]) {
                    order[j] = order[j - 1];
                    j--;
                }
                order[j] = k;
            }
            // fewer leftover pages than open VMs; each part is below its room, so +1 fits
            for (int k = 0; k < budget - given; k++) {
                parts[order[k]]++;
            }
            for (int k = 0; k < count; k++) {
                scan[open[k]] += parts[k];
            }
            budget = 0;
        }
    }

    private static long room(VmMemory vm, long scanned) {
        return Math.max(0, vm.residentPages()) - scanned;
    }

    /** floor(a × b / c) for a, b ≥ 0 and c > 0, exact: in longs when a × b fits, else in BigInteger. */
    private static long mulDiv(long a, long b, long c) {
        if (Math.multiplyHigh(a, b) == 0 && a * b >= 0) {
            return a * b / c;
        }
        return BigInteger.valueOf(a).multiply(BigInteger.valueOf(b)).divide(BigInteger.valueOf(c)).longValueExact();
    }

    /** (a × b) mod c for a, b ≥ 0 and c > 0, exact; the result is below c, so it fits a long. */
    private static long mulMod(long a, long b, long c) {
        if (Math.multiplyHigh(a, b) == 0 && a * b >= 0) {
            return a * b % c;
        }
        return BigInteger.valueOf(a).multiply(BigInteger.valueOf(b)).mod(BigInteger.valueOf(c)).longValueExact();
    }
}
