package org.vireo.memory.balloon;

import org.vireo.api.model.Check;

/**
 * The validated tuning of {@link BalloonPlanner}; field names are the configuration property names.
 *
 * @param inflatePagesPerInterval the most pages one VM's balloon inflates by in one interval
 * @param deflatePagesPerInterval the most pages one VM's balloon deflates by in one interval
 * @param maxBalloonPercent the largest balloon, in percent of the VM's configured memory
 */
record BalloonSettings(long inflatePagesPerInterval, long deflatePagesPerInterval, int maxBalloonPercent) {
    /** The largest per-interval rate accepted: 2^40 pages. */
    static final long MAX_RATE = 1L << 40;

    /** 64 MiB each way per VM per interval; at most 65 % of a VM (the ESX balloon limit). */
    static final BalloonSettings DEFAULTS = new BalloonSettings(16_384, 16_384, 65);

    /** Validates every field. */
    BalloonSettings {
        Check.range("inflatePagesPerInterval", inflatePagesPerInterval, 0, MAX_RATE);
        Check.range("deflatePagesPerInterval", deflatePagesPerInterval, 0, MAX_RATE);
        Check.range("maxBalloonPercent", maxBalloonPercent, 0, 100);
    }
}
