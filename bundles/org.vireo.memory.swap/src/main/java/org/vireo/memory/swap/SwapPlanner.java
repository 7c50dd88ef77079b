package org.vireo.memory.swap;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.vireo.api.memory.MemoryAction;
import org.vireo.api.memory.MemoryOperation;
import org.vireo.api.memory.MemorySnapshot;
import org.vireo.api.memory.MemoryTechnique;
import org.vireo.api.memory.ReclaimRequest;
import org.vireo.api.memory.VmMemory;

/**
 * Turns SWAPPING requests into swap operations, a pure function of the snapshot, the requests
 * and the settings. Requests for the same VM are added up first; then, in the order the VMs
 * first appear in the requests (the reclaim policy's priority):
 * <ul>
 * <li>a positive net request swaps out at most the VM's reclaimable pages (resident beyond its
 * reservation) and what is left of the host's swap-out budget;</li>
 * <li>a negative one swaps in at most the VM's swapped pages and what is left of the host's
 * swap-in budget.</li>
 * </ul>
 * The budgets are per host, since all VMs of a host swap to the same datastore. Requests for VMs
 * missing from the snapshot, and for other techniques, are ignored.
 */
final class SwapPlanner {
    private final SwapSettings settings;

    SwapPlanner(SwapSettings settings) {
        this.settings = settings;
    }

    List<MemoryAction> actions(MemorySnapshot host, List<ReclaimRequest> requests) {
        if (requests.isEmpty()) {
            return List.of();
        }
        Map<VmMemory, Long> net = ReclaimRequest.netByVm(host, requests, MemoryTechnique.SWAPPING);
        long outBudget = settings.swapOutPagesPerInterval();
        long inBudget = settings.swapInPagesPerInterval();
        List<MemoryAction> actions = new ArrayList<>();
        for (Map.Entry<VmMemory, Long> e : net.entrySet()) {
            VmMemory vm = e.getKey();
            long pages = e.getValue();
            if (pages > 0) {
                long out = Math.min(Math.min(pages, vm.reclaimablePages()), outBudget);
                if (out > 0) {
                    actions.add(new MemoryAction(vm.vm(), MemoryOperation.SWAP_OUT, out));
                    outBudget -= out;
                }
            } else if (pages < 0) {
                long in = Math.min(Math.min(-pages, vm.swappedPages()), inBudget);
                if (in > 0) {
                    actions.add(new MemoryAction(vm.vm(), MemoryOperation.SWAP_IN, in));
                    inBudget -= in;
                }
            }
        }
        return actions;
    }
}
