package org.vireo.hypervisor.sim.engine;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * A host's shared pages: one host frame per distinct content that at least one guest page maps
 * (the zero page, page {@code i} of image {@code X}). Counts references so that the pages saved
 * by sharing are known at any time: references minus frames. The per-page counts of each image
 * are kept by {@link ImageRefs}, compact where they are uniform.
 */
public final class SharingTable {
    private long zeroRefs;
    private final Map<String, ImageRefs> imageRefs = new HashMap<>();
    private final ArrayDeque<char[]> spare = new ArrayDeque<>();
    private String lastImage;
    private ImageRefs lastRefs;
    private long refs;
    private long frames;

    /** Maps one more guest page to the zero frame. */
    void refZero() {
        refZero(1);
    }

    /**
     * Maps {@code n} more guest pages to the zero frame.
     *
     * @param n pages, at least 0
     */
    void refZero(long n) {
        if (n <= 0) {
            return;
        }
        if (zeroRefs == 0) {
            frames++;
        }
        zeroRefs += n;
        refs += n;
    }

    /** Drops one mapping of the zero frame. */
    void unrefZero() {
        unrefZero(1);
    }

    /**
     * Drops {@code n} mappings of the zero frame.
     *
     * @param n pages, at least 0
     */
    void unrefZero(long n) {
        if (n <= 0) {
            return;
        }
        if (zeroRefs < n) {
            throw new IllegalStateException("zero page has " + zeroRefs + " references, cannot drop " + n);
        }
        zeroRefs -= n;
        if (zeroRefs == 0) {
            frames--;
        }
        refs -= n;
    }

    /**
     * @param image the OS image
     * @param page the page index within it
     */
    void refImage(String image, long page) {
        refImageBits(image, page & ~63L, 1L << (page & 63));
    }

    /**
     * @param image the OS image
     * @param page the page index within it
     */
    void unrefImage(String image, long page) {
        unrefImageBits(image, page & ~63L, 1L << (page & 63));
    }

    /**
     * Maps the image pages {@code firstPage + i} for every bit {@code i} set in {@code bits}.
     *
     * @param image the OS image
     * @param firstPage the page of bit 0, a multiple of 64
     * @param bits which of the 64 pages from {@code firstPage}
     */
    void refImageBits(String image, long firstPage, long bits) {
        if (bits != 0) {
            frames += refs(image).add(firstPage, bits);
            refs += Long.bitCount(bits);
        }
    }

    /**
     * Drops the mappings of the image pages {@code firstPage + i} for every bit {@code i} set.
     *
     * @param image the OS image
     * @param firstPage the page of bit 0, a multiple of 64
     * @param bits which of the 64 pages from {@code firstPage}
     */
    void unrefImageBits(String image, long firstPage, long bits) {
        if (bits != 0) {
            frames -= refs(image).remove(firstPage, bits);
            refs -= Long.bitCount(bits);
        }
    }

    /**
     * Compacts the counts of the chunk of {@code page} if they became uniform; called when a
     * scan leaves a chunk.
     *
     * @param image the OS image
     * @param page a page of the chunk
     */
    void settle(String image, long page) {
        ImageRefs r = imageRefs.get(image);
        if (r != null) {
            r.settle(page);
        }
    }

    /**
     * @param image the OS image
     * @param page the page index within it
     * @return guest pages of this host mapping that image page
     */
    public int references(String image, long page) {
        ImageRefs r = imageRefs.get(image);
        return r == null ? 0 : r.count(page);
    }


    /**
     * Adds references already counted into an image's {@link ImageRefs}: {@code references}
     * more mappings of which {@code fresh} created frames.
     *
     * @param references mappings added
     * @param fresh frames created
     */
    void refImageRun(long references, long fresh) {
        refs += references;
        frames += fresh;
    }

    /**
     * @param image the OS image
     * @return the reference counts of its pages on this host (also for a bulk {@link #refImageRun})
     */
    ImageRefs refs(String image) {
        if (image.equals(lastImage)) {
            return lastRefs;
        }
        ImageRefs r = imageRefs.computeIfAbsent(image, i -> new ImageRefs(i, spare));
        lastImage = image;
        lastRefs = r;
        return r;
    }

    /** @return guest pages mapped to the zero frame */
    public long zeroReferences() {
        return zeroRefs;
    }

    /** @return host frames holding OS-image pages */
    public long imageFrames() {
        return frames - (zeroRefs > 0 ? 1 : 0);
    }

    /** @return guest pages mapped to OS-image frames */
    public long imageReferences() {
        return refs - zeroRefs;
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
