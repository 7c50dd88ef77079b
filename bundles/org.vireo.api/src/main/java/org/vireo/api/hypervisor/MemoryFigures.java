package org.vireo.api.hypervisor;

import java.io.Serializable;
import java.util.Map;

/**
 * Memory figures of one VM, in 4 KiB pages.
 *
 * @param configuredPages the VM's configured memory
 * @param residentPages pages backed by host memory (private plus its part of shared pages)
 * @param sharedPages guest pages mapped to a shared, read-only host page
 * @param balloonedPages pages taken back by the balloon driver
 * @param swappedPages pages written to hypervisor swap
 * @param activePages pages touched recently (the working set estimate)
 * @param byContent resident pages by content class, keys {@code zero}, {@code image},
 *        {@code compressible}, {@code random} (empty where the hypervisor cannot tell)
 * @since 1.0
 */
public record MemoryFigures(long configuredPages, long residentPages, long sharedPages, long balloonedPages,
        long swappedPages, long activePages, Map<String, Long> byContent) implements Serializable {
    /** Bytes in one page. */
    public static final int PAGE_SIZE = 4096;
    /** Pages in one MiB. */
    public static final int PAGES_PER_MIB = 256;

    /** Copies the map. */
    public MemoryFigures {
        byContent = Map.copyOf(byContent == null ? Map.of() : byContent);
    }

    /**
     * @param configuredMiB configured memory
     * @return figures of a VM that holds no memory
     */
    public static MemoryFigures none(long configuredMiB) {
        return new MemoryFigures(configuredMiB * PAGES_PER_MIB, 0, 0, 0, 0, 0, Map.of());
    }

    /**
     * @param pages a page count
     * @return the same amount in MiB (rounded down)
     */
    public static long toMiB(long pages) {
        return pages / PAGES_PER_MIB;
    }
}
