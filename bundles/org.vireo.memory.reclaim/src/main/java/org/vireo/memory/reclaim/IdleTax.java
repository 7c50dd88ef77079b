package org.vireo.memory.reclaim;

import org.vireo.api.memory.VmMemory;

/**
 * The ESX shares-per-page ratio with an idle memory tax:
 * ρ = shares / (pages × (f + k·(1 − f))), k = 1 / (1 − τ), where pages are the VM's resident
 * pages and f the fraction of them that is active. An idle page costs k times an active one,
 * so an idle VM gives memory back before a busy VM with the same shares.
 * <p>
 * When pages are taken or given back, the VM's active pages (f × resident in the snapshot) are
 * taken to stay what they were and only its idle pages to change, as a balloon driver and a
 * swap of cold pages take idle pages first: at {@code r} resident pages, with {@code a} active
 * ones, ρ = shares / (min(a, r) + k·max(0, r − a)).
 */
final class IdleTax {
    private final double k;

    /** @param tau the idle memory tax, 0 ≤ τ < 1 */
    IdleTax(double tau) {
        this.k = 1.0 / (1.0 - tau);
    }

    /** @return k = 1 / (1 − τ), the cost of an idle page relative to an active one */
    double k() {
        return k;
    }

    /** @return the VM's ρ as the snapshot shows it */
    double rho(VmMemory vm) {
        return rhoAt(vm, vm.residentPages());
    }

    /**
     * @param vm the VM as the snapshot shows it
     * @param residentPages its resident pages after some were taken or given back
     * @return its ρ at that size; infinite when it holds no page
     */
    double rhoAt(VmMemory vm, long residentPages) {
        double active = Math.min(activePages(vm), residentPages);
        double adjusted = active + k * (residentPages - active);
        return adjusted <= 0 ? Double.POSITIVE_INFINITY : vm.shares() / adjusted;
    }

    /**
     * The active fraction (clamped to 0..1) of the snapshot's resident pages. An unknown
     * fraction (NaN) counts as fully active: no VM is taxed on a figure nobody measured.
     */
    static double activePages(VmMemory vm) {
        double f = vm.activeFraction();
        f = Double.isNaN(f) ? 1.0 : Math.max(0.0, Math.min(1.0, f));
        return f * vm.residentPages();
    }
}
