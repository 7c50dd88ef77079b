package org.vireo.memory.balloon;

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
 * Turns BALLOONING requests into balloon operations, a pure function of the snapshot, the
 * requests and the settings. Requests for the same VM are added up first; then per VM, in the
 * order the VMs first appear in the requests:
 * <ul>
 * <li>a positive net request inflates by at most the per-VM inflate rate, the VM's reclaimable
 * pages (resident beyond its reservation) and what the balloon may still grow to
 * (max percent of configured memory, less what it holds);</li>
 * <li>a negative one deflates by at most the per-VM deflate rate and the pages the balloon
 * holds.</li>
 * </ul>
 * Each guest runs its own balloon driver, so the rates are per VM. Requests for VMs missing from
 * the snapshot, and for other techniques, are ignored.
 */
final class BalloonPlanner {
    private final BalloonSettings settings;

    BalloonPlanner(BalloonSettings settings) {
        this.settings = settings;
    }

    List<MemoryAction> actions(MemorySnapshot host, List<ReclaimRequest> requests) {
        if (requests.isEmpty()) {
            return List.of();
        }
        Map<VmMemory, Long> net = ReclaimRequest.netByVm(host, requests, MemoryTechnique.BALLOONING);
        List<MemoryAction> actions = new ArrayList<>();
        net.forEach((vm, pages) -> {
            String name = vm.vm();
            if (pages > 0) {
                long room = Math.max(0, maxBalloon(vm) - Math.max(0, vm.balloonedPages()));
                long inflate = min(pages, settings.inflatePagesPerInterval(), vm.reclaimablePages(), room);
                if (inflate > 0) {
                    actions.add(new MemoryAction(name, MemoryOperation.BALLOON_INFLATE, inflate));
                }
            } else if (pages < 0) {
                long deflate = min(-pages, settings.deflatePagesPerInterval(), vm.balloonedPages(), Long.MAX_VALUE);
                if (deflate > 0) {
                    actions.add(new MemoryAction(name, MemoryOperation.BALLOON_DEFLATE, deflate));
                }
            }
        });
        return actions;
    }

    private long maxBalloon(VmMemory vm) {
        return Math.max(0, vm.configuredPages()) * settings.maxBalloonPercent() / 100;
    }

    private static long min(long a, long b, long c, long d) {
        return Math.min(Math.min(a, b), Math.min(c, d));
    }
}
