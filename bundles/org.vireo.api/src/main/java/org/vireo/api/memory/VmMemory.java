package org.vireo.api.memory;

import java.io.Serializable;

/**
 * One VM's memory as a memory policy sees it, in 4 KiB pages.
 *
 * @param vm the VM's name
 * @param configuredPages configured memory
 * @param reservedPages memory under reservation: never reclaimed
 * @param shares the VM's memory shares
 * @param residentPages pages backed by host memory
 * @param sharedPages pages mapped to shared host pages
 * @param balloonedPages pages held by the balloon
 * @param swappedPages pages in hypervisor swap
 * @param activeFraction the fraction of its memory the VM touched recently, 0..1
 * @since 1.0
 */
public record VmMemory(String vm, long configuredPages, long reservedPages, int shares, long residentPages,
        long sharedPages, long balloonedPages, long swappedPages, double activeFraction) implements Serializable {
    /** @return pages that may still be reclaimed: resident beyond the reservation */
    public long reclaimablePages() {
        return Math.max(0, residentPages - reservedPages);
    }
}
