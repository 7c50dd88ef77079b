package org.vireo.hypervisor.sim.engine;

import java.util.HashMap;
import java.util.Map;

/**
 * A host's shared pages: one host frame per distinct content that at least one guest page maps
 * (the zero page, page {@code i} of image {@code X}). Counts references so that the pages saved
 * by sharing are known at any time: references minus frames.
 */
public final class SharingTable {
    private long zeroRefs;
    private final Map<String, int[]> imageRefs = new HashMap<>();
    private long refs;
    private long frames;

    /** Maps one more guest page to the zero frame. */
    void refZero() {
        if (zeroRefs++ == 0) {
            frames++;
        }
        refs++;
    }

    /** Drops one mapping of the zero frame. */
    void unrefZero() {
        if (zeroRefs <= 0) {
            throw new IllegalStateException("zero page has no reference to drop");
        }
        if (--zeroRefs == 0) {
            frames--;
        }
        refs--;
    }

    /**
     * @param image the OS image
     * @param page the page index within it
     */
    void refImage(String image, long page) {
        int[] counts = imageRefs.get(image);
        int i = Math.toIntExact(page);
        if (counts == null || counts.length <= i) {
            int[] grown = new int[Math.max(i + 1, counts == null ? 1024 : Math.max(counts.length * 2, i + 1))];
            if (counts != null) {
                System.arraycopy(counts, 0, grown, 0, counts.length);
            }
            counts = grown;
            imageRefs.put(image, counts);
        }
        if (counts[i]++ == 0) {
            frames++;
        }
        refs++;
    }

    /**
     * @param image the OS image
     * @param page the page index within it
     */
    void unrefImage(String image, long page) {
        int[] counts = imageRefs.get(image);
        int i = Math.toIntExact(page);
        if (counts == null || counts.length <= i || counts[i] <= 0) {
            throw new IllegalStateException("image " + image + " page " + page + " has no reference to drop");
        }
        if (--counts[i] == 0) {
            frames--;
        }
        refs--;
    }

    /** @return host frames holding shared content */
    public long frames() {
        return frames;
    }

    /** @return guest pages mapped to shared frames */
    public long references() {
        return refs;
    }

    /** @return host pages saved by sharing: references minus frames */
    public long savedPages() {
        return refs - frames;
    }
}
