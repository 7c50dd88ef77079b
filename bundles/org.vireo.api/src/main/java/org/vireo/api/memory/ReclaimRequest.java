package org.vireo.api.memory;

import java.io.Serializable;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reclaim policy's order to one strategy: take {@code pages} from {@code vm} (or give them
 * back when negative).
 *
 * @param vm the VM's name
 * @param technique the strategy family to use
 * @param pages pages to reclaim this interval; negative to return pages to the VM
 * @since 1.0
 */
public record ReclaimRequest(String vm, MemoryTechnique technique, long pages) implements Serializable {

    /**
     * What a strategy of one technique is asked, per VM: the requests of that technique for VMs
     * of the snapshot, added up per VM (asked to take 100 pages and to give back 30, a VM nets
     * 70). Requests for VMs missing from the snapshot, of other techniques, and {@code null}
     * ones are ignored; of a VM listed twice in the snapshot the first entry counts.
     *
     * @param host the snapshot the requests were made for
     * @param requests the requests, in the reclaim policy's order
     * @param technique the strategy's technique
     * @return the net pages per VM, in the order the VMs first appear in the requests (a net of
     *         zero included)
     * @throws ArithmeticException if a VM's net does not fit a long
     * @since 1.1
     */
    public static Map<VmMemory, Long> netByVm(MemorySnapshot host, List<ReclaimRequest> requests, MemoryTechnique technique) {
        Map<String, VmMemory> vms = new HashMap<>(host.vms().size() * 2);
        for (VmMemory vm : host.vms()) {
            vms.putIfAbsent(vm.vm(), vm);
        }
        Map<VmMemory, Long> net = new LinkedHashMap<>();
        for (ReclaimRequest r : requests) {
            VmMemory vm = r == null || r.technique() != technique ? null : vms.get(r.vm());
            if (vm != null) {
                net.merge(vm, r.pages(), Math::addExact);
            }
        }
        return net;
    }
}
