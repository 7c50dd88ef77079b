package org.vireo.memory.reclaim;

import org.vireo.api.memory.MemoryState;
import org.vireo.api.model.Check;
import org.vireo.api.model.InvalidSpecException;

/**
 * The validated tuning of {@link ReclaimPlanner}. Field names are the configuration property
 * names, so that an error names what the operator typed.
 *
 * @param highFreePercent free memory, in percent of physical memory, at or above which the host
 *        is {@link MemoryState#HIGH}
 * @param softFreePercent at or above which (and below high) the host is {@link MemoryState#SOFT}
 * @param hardFreePercent at or above which (and below soft) the host is {@link MemoryState#HARD};
 *        below it the host is {@link MemoryState#LOW}
 * @param returnFreePercent free memory above which reclaimed pages are given back (at least
 *        {@code highFreePercent}; the gap is the hysteresis that keeps give-back from pushing
 *        the host out of HIGH)
 * @param returnPercent the part of the free memory above {@code returnFreePercent} given back
 *        per interval, 0 to 100 (0 never gives back)
 * @param idleTax the idle memory tax τ, from 0 (idle pages cost as much as active ones) to 0.99
 * @param hardSwapPercent in HARD, the part of each VM's reclaim addressed to swapping when both
 *        ballooning and swapping are available
 * @param lowSwapPercent the same in LOW
 */
record ReclaimSettings(double highFreePercent, double softFreePercent, double hardFreePercent,
        double returnFreePercent, int returnPercent, double idleTax, int hardSwapPercent, int lowSwapPercent) {

    /** The ESX thresholds (6 %, 4 %, 2 %), give-back above 8 %, τ = 0.75. */
    static final ReclaimSettings DEFAULTS = new ReclaimSettings(6.0, 4.0, 2.0, 8.0, 50, 0.75, 50, 75);

    /** Validates every field and the order of the thresholds. */
    ReclaimSettings {
        Check.range("hardFreePercent", hardFreePercent, 0.0, 100.0);
        Check.range("softFreePercent", softFreePercent, 0.0, 100.0);
        Check.range("highFreePercent", highFreePercent, 0.0, 100.0);
        Check.range("returnFreePercent", returnFreePercent, 0.0, 100.0);
        if (softFreePercent <= hardFreePercent) {
            throw new InvalidSpecException("softFreePercent", softFreePercent,
                    "a number above hardFreePercent (" + hardFreePercent + ")");
        }
        if (highFreePercent <= softFreePercent) {
            throw new InvalidSpecException("highFreePercent", highFreePercent,
                    "a number above softFreePercent (" + softFreePercent + ")");
        }
        if (returnFreePercent < highFreePercent) {
            throw new InvalidSpecException("returnFreePercent", returnFreePercent,
                    "a number from highFreePercent (" + highFreePercent + ") to 100.0");
        }
        Check.range("returnPercent", returnPercent, 0, 100);
        Check.range("idleTax", idleTax, 0.0, 0.99);
        Check.range("hardSwapPercent", hardSwapPercent, 0, 100);
        Check.range("lowSwapPercent", lowSwapPercent, 0, 100);
    }

    /**
     * @param totalPages physical memory
     * @param freePages free memory
     * @return the host's state: HIGH when free is at least high percent of total, and so on down;
     *         LOW for a host without memory (its free fraction is 0, as the snapshot says)
     */
    MemoryState stateOf(long totalPages, long freePages) {
        if (totalPages <= 0) {
            return MemoryState.LOW;
        }
        if (freePages >= pagesAt(highFreePercent, totalPages)) {
            return MemoryState.HIGH;
        }
        if (freePages >= pagesAt(softFreePercent, totalPages)) {
            return MemoryState.SOFT;
        }
        if (freePages >= pagesAt(hardFreePercent, totalPages)) {
            return MemoryState.HARD;
        }
        return MemoryState.LOW;
    }

    /**
     * How much free memory a state's reclaim aims for: SOFT reclaims up to the high threshold,
     * HARD and LOW up to the soft threshold. (LOW aims for soft rather than for hard, its next
     * threshold, because otherwise a host just below hard would reclaim less than one just above.)
     *
     * @param state a state
     * @param totalPages physical memory
     * @return the free pages the state's reclaim aims for; 0 for HIGH
     */
    long goalPages(MemoryState state, long totalPages) {
        return switch (state) {
            case HIGH -> 0;
            case SOFT -> pagesAt(highFreePercent, totalPages);
            case HARD, LOW -> pagesAt(softFreePercent, totalPages);
        };
    }

    /** @return the free pages above which reclaimed pages are given back */
    long returnPages(long totalPages) {
        return pagesAt(returnFreePercent, totalPages);
    }

    /**
     * @param state a state under pressure
     * @return the percent of each VM's reclaim that swapping takes when ballooning may run too
     */
    int swapPercent(MemoryState state) {
        return switch (state) {
            case HIGH, SOFT -> 0;
            case HARD -> hardSwapPercent;
            case LOW -> lowSwapPercent;
        };
    }

    /** The smallest page count that is at least {@code percent} of {@code totalPages}. */
    static long pagesAt(double percent, long totalPages) {
        return (long) Math.ceil(totalPages * percent / 100.0);
    }
}
