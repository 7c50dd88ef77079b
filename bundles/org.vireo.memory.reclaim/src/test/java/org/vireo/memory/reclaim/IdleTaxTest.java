package org.vireo.memory.reclaim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.vireo.api.memory.VmMemory;

class IdleTaxTest {
    private static final double EPS = 1e-12;
    private final IdleTax tax = new IdleTax(0.75);

    private static VmMemory vm(int shares, long resident, double active) {
        return new VmMemory("vm", resident, 0, shares, resident, 0, 0, 0, active);
    }

    @Test
    void theDefaultTaxMakesAnIdlePageCostFourActiveOnes() {
        assertEquals(4.0, tax.k(), EPS);
        assertEquals(1.0, new IdleTax(0.0).k(), EPS);
    }

    @Test
    void rhoIsSharesPerTaxedPage() {
        // ρ = S / (P (f + k (1 - f))) = 1000 / (10000 (0.25 + 4 * 0.75))
        assertEquals(1000.0 / (10_000 * (0.25 + 4 * 0.75)), tax.rho(vm(1000, 10_000, 0.25)), EPS);
        // without tax ρ is shares per page
        assertEquals(0.1, new IdleTax(0.0).rho(vm(1000, 10_000, 0.25)), EPS);
    }

    @Test
    void takingPagesTakesIdleOnesFirst() {
        VmMemory v = vm(1000, 10_000, 0.25); // 2500 active, 7500 idle
        assertEquals(1000.0 / (2500 + 4 * 6500), tax.rhoAt(v, 9_000), EPS);
        assertEquals(1000.0 / 2500, tax.rhoAt(v, 2_500), EPS);
        assertEquals(1000.0 / 2000, tax.rhoAt(v, 2_000), EPS);
        // giving pages back adds idle ones
        assertEquals(1000.0 / (2500 + 4 * 8500), tax.rhoAt(v, 11_000), EPS);
    }

    @Test
    void rhoRisesAsPagesAreTaken() {
        VmMemory v = vm(700, 5_000, 0.4);
        double previous = 0;
        for (long r = 5_000; r >= 1; r -= 7) {
            double rho = tax.rhoAt(v, r);
            assertTrue(rho > previous, "rho at " + r);
            previous = rho;
        }
    }

    @Test
    void anUnmeasuredOrOutOfRangeActivityIsClamped() {
        assertEquals(1000.0 / 10_000, tax.rho(vm(1000, 10_000, Double.NaN)), EPS);
        assertEquals(1000.0 / 10_000, tax.rho(vm(1000, 10_000, 1.7)), EPS);
        assertEquals(1000.0 / 40_000, tax.rho(vm(1000, 10_000, -0.3)), EPS);
    }

    @Test
    void aVmWithoutPagesHasInfiniteRho() {
        assertEquals(Double.POSITIVE_INFINITY, tax.rho(vm(1000, 0, 0.5)));
    }
}
