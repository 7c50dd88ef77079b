package org.vireo.hypervisor.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DemandEstimatorTest {
    private static final double CORE = 2400;

    @Test
    void beforeTheFirstMeasurementAVmWantsAllItsVcpus() {
        assertEquals(2 * CORE, DemandEstimator.estimate(2, CORE, -1, 0));
    }

    @Test
    void usedPlusReadyPlusTenPercent() {
        assertEquals((1000 + 200) * 1.1, DemandEstimator.estimate(2, CORE, 1000, 200), 1e-9);
    }

    @Test
    void anIdleVmGetsTheMinimumHeadroomOfAFractionOfACore() {
        assertEquals(0.05 * CORE, DemandEstimator.estimate(1, CORE, 0, 0), 1e-9);
        assertEquals(100 + 0.05 * CORE, DemandEstimator.estimate(1, CORE, 100, 0), 1e-9, "10% of 100 is below the minimum");
    }

    @Test
    void aVmHeldByItsQuotaShowsItsWaitAsDemandUpToWhatItsVcpusCanUse() {
        // a CPU-bound vCPU capped at half a core: it runs half the time and waits the other half
        assertEquals(CORE, DemandEstimator.estimate(1, CORE, CORE / 2, CORE / 2));
        assertEquals(CORE, DemandEstimator.estimate(1, CORE, CORE, 3 * CORE), "never above vCPUs × core MHz");
    }

    @Test
    void negativeReadyFiguresAreIgnored() {
        assertEquals(2000 * 1.1, DemandEstimator.estimate(1, CORE, 2000, -40), 1e-9);
    }
}
