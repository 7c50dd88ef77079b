package org.vireo.api.migration;

/**
 * What happens after a copy round.
 *
 * @since 1.0
 */
public enum RoundAction {
    /** Copy the dirtied pages again. */
    CONTINUE,
    /** Pause the VM, copy what is left, resume it on the destination. */
    STOP_AND_COPY,
    /** Resume on the destination now and fetch the rest on demand. */
    SWITCH_TO_POST_COPY,
    /** Slow the guest down so that copying converges. */
    THROTTLE,
    /** Give up; the VM keeps running on the source. */
    CANCEL
}
