package org.vireo.memory.reclaim;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.vireo.api.memory.MemorySnapshot;
import org.vireo.api.memory.MemoryState;
import org.vireo.api.memory.MemoryTechnique;
import org.vireo.api.memory.ReclaimPlan;
import org.vireo.api.memory.ReclaimRequest;
import org.vireo.api.memory.VmMemory;

/**
 * The reclaim decision, a pure function of a snapshot, the available techniques and the
 * settings. Per interval, in this order:
 * <ol>
 * <li><b>Reservations first.</b> A VM whose resident pages are below its reservation (its
 * reservation was raised after pages were taken) gets the difference back from swap, then from
 * its balloon, whatever the host's state.</li>
 * <li><b>Under pressure</b> (SOFT, HARD, LOW) the host reclaims the pages that bring free memory
 * to the state's goal ({@link ReclaimSettings#goalPages}), plus what step 1 gave back, at most
 * the reclaimable pages (resident beyond reservation) of all VMs. The pages are divided by water
 * filling on ρ ({@link IdleTax}): the next page always comes from the VM whose ρ is lowest after
 * the pages already taken. Each VM's share goes to ballooning in SOFT; in HARD and LOW a
 * configured part of it goes to swapping. A technique missing from {@code available} is never
 * named; when only one of the two may run in HARD or LOW it takes the whole share, and SOFT
 * without ballooning reclaims nothing (page sharing, which always runs, gets no requests).</li>
 * <li><b>Relieved</b> (HIGH with free memory above the give-back level) a part of the free
 * memory above that level goes back to the VMs, swapped pages before ballooned ones, by water
 * filling the other way: the next page goes to the VM whose ρ is highest after receiving it.</li>
 * </ol>
 * Requests come highest priority first: restored reservations, then by ρ (lowest first when
 * taking, highest first when giving back), ties by VM name.
 */
final class ReclaimPlanner {
    private final ReclaimSettings settings;
    private final IdleTax tax;

    ReclaimPlanner(ReclaimSettings settings) {
        this.settings = settings;
        this.tax = new IdleTax(settings.idleTax());
    }

    ReclaimPlan plan(MemorySnapshot host, Set<MemoryTechnique> available) {
        MemoryState state = settings.stateOf(host.totalPages(), host.freePages());
        if (state == MemoryState.HIGH && nothingHeld(host)) {
            // no reservation to restore and nothing to give back: the common case, answered at once
            return new ReclaimPlan(state, List.of());
        }
        boolean balloon = available.contains(MemoryTechnique.BALLOONING);
        boolean swap = available.contains(MemoryTechnique.SWAPPING);
        List<ReclaimRequest> requests = new ArrayList<>();
        List<VmMemory> vms = new ArrayList<>(host.vms());
        vms.sort(Comparator.comparing(VmMemory::vm));

        List<VmMemory> afterRestore = new ArrayList<>(vms.size());
        long restored = 0;
        for (VmMemory vm : vms) {
            long deficit = vm.reservedPages() - vm.residentPages();
            long fromSwap = swap ? clamp(deficit, vm.swappedPages()) : 0;
            long fromBalloon = balloon ? clamp(deficit - fromSwap, vm.balloonedPages()) : 0;
            add(requests, vm.vm(), MemoryTechnique.SWAPPING, -fromSwap);
            add(requests, vm.vm(), MemoryTechnique.BALLOONING, -fromBalloon);
            restored += fromSwap + fromBalloon;
            afterRestore.add(new VmMemory(vm.vm(), vm.configuredPages(), vm.reservedPages(), vm.shares(),
                    vm.residentPages(), vm.sharedPages(), vm.balloonedPages() - fromBalloon,
                    vm.swappedPages() - fromSwap, vm.activeFraction()));
        }

        if (state == MemoryState.HIGH) {
            long surplus = host.freePages() - settings.returnPages(host.totalPages());
            long budget = surplus <= 0 ? 0 : surplus * settings.returnPercent() / 100 - restored;
            giveBack(afterRestore, budget, balloon, swap, requests);
        } else {
            long target = settings.goalPages(state, host.totalPages()) - host.freePages() + restored;
            boolean soft = state == MemoryState.SOFT;
            int swapPercent = soft || !swap ? 0 : !balloon ? 100 : settings.swapPercent(state);
            if (soft ? balloon : balloon || swap) {
                reclaim(afterRestore, target, swapPercent, requests);
            }
        }
        return new ReclaimPlan(state, requests);
    }

    /** Takes {@code target} pages (at most all reclaimable ones), lowest ρ first. */
    private void reclaim(List<VmMemory> vms, long target, int swapPercent, List<ReclaimRequest> requests) {
        List<VmMemory> donors = new ArrayList<>();
        for (VmMemory vm : vms) {
            if (vm.reclaimablePages() > 0) {
                donors.add(vm);
            }
        }
        donors.sort(Comparator.comparingDouble(tax::rho).thenComparing(VmMemory::vm));
        List<WaterFill.Claim> claims = new ArrayList<>(donors.size());
        for (VmMemory vm : donors) {
            claims.add(new WaterFill.Claim(vm.reclaimablePages(), x -> tax.rhoAt(vm, vm.residentPages() - x)));
        }
        long[] taken = WaterFill.divide(claims, target);
        for (int i = 0; i < donors.size(); i++) {
            long toSwap = (taken[i] * swapPercent + 50) / 100;
            add(requests, donors.get(i).vm(), MemoryTechnique.BALLOONING, taken[i] - toSwap);
            add(requests, donors.get(i).vm(), MemoryTechnique.SWAPPING, toSwap);
        }
    }

    /** Returns {@code budget} pages (at most all returnable ones), highest ρ first. */
    private void giveBack(List<VmMemory> vms, long budget, boolean balloon, boolean swap,
            List<ReclaimRequest> requests) {
        List<VmMemory> takers = new ArrayList<>();
        for (VmMemory vm : vms) {
            if (returnable(vm, balloon, swap) > 0) {
                takers.add(vm);
            }
        }
        takers.sort(Comparator.comparingDouble((VmMemory vm) -> -tax.rho(vm)).thenComparing(VmMemory::vm));
        List<WaterFill.Claim> claims = new ArrayList<>(takers.size());
        for (VmMemory vm : takers) {
            claims.add(new WaterFill.Claim(returnable(vm, balloon, swap),
                    y -> -tax.rhoAt(vm, vm.residentPages() + y + 1)));
        }
        long[] given = WaterFill.divide(claims, budget);
        for (int i = 0; i < takers.size(); i++) {
            VmMemory vm = takers.get(i);
            long swapIn = swap ? Math.min(given[i], vm.swappedPages()) : 0;
            add(requests, vm.vm(), MemoryTechnique.SWAPPING, -swapIn);
            add(requests, vm.vm(), MemoryTechnique.BALLOONING, -(given[i] - swapIn));
        }
    }

    /** @return whether no VM has pages in a balloon or in swap */
    private static boolean nothingHeld(MemorySnapshot host) {
        for (VmMemory vm : host.vms()) {
            if (vm.balloonedPages() > 0 || vm.swappedPages() > 0) {
                return false;
            }
        }
        return true;
    }

    private static long returnable(VmMemory vm, boolean balloon, boolean swap) {
        return (balloon ? Math.max(0, vm.balloonedPages()) : 0) + (swap ? Math.max(0, vm.swappedPages()) : 0);
    }

    private static long clamp(long wanted, long held) {
        return Math.max(0, Math.min(wanted, held));
    }

    private static void add(List<ReclaimRequest> requests, String vm, MemoryTechnique technique, long pages) {
        if (pages != 0) {
            requests.add(new ReclaimRequest(vm, technique, pages));
        }
    }
}
