package org.vireo.memory.swap;

import org.vireo.api.model.Check;

/**
 * The validated tuning of {@link SwapPlanner}; field names are the configuration property names.
 *
 * @param swapOutPagesPerInterval the most pages the host writes to swap in one interval, all VMs together
 * @param swapInPagesPerInterval the most pages the host reads back from swap in one interval
 */
record SwapSettings(long swapOutPagesPerInterval, long swapInPagesPerInterval) {
    /** The largest per-interval rate accepted: 2^40 pages. */
    static final long MAX_RATE = 1L << 40;

    /** 64 MiB out and 64 MiB in per host per interval. */
    static final SwapSettings DEFAULTS = new SwapSettings(16_384, 16_384);

    /** Validates every field. */
    SwapSettings {
        Check.range("swapOutPagesPerInterval", swapOutPagesPerInterval, 0, MAX_RATE);
        Check.range("swapInPagesPerInterval", swapInPagesPerInterval, 0, MAX_RATE);
    }
}
