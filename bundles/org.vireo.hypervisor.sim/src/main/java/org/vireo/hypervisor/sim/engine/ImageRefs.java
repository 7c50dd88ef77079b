package org.vireo.hypervisor.sim.engine;

import java.util.ArrayDeque;

/**
 * How many guest pages of one host map each page of one OS image, kept compact: the pages are
 * cut into chunks of {@value #CHUNK} (as guest memory is), a chunk whose pages all have the same
 * count stores just that count, and only a chunk with differing counts holds one counter per
 * page. A scan that merges a chunk page by page makes it differ for a while; {@link #settle}
 * turns it back into a single count once it is uniform again, and its counters are reused.
 * Not thread-safe: its host is stepped by one thread at a time.
 */
final class ImageRefs {
    static final int CHUNK = GuestMemory.CHUNK_PAGES;
    private static final int SHIFT = Integer.numberOfTrailingZeros(CHUNK);
    private static final int MAX_COUNT = Character.MAX_VALUE;

    private final String image;
    private final ArrayDeque<char[]> spare;
    private int[] uniform = new int[0];
    private char[][] mixed = new char[0][];

    /**
     * @param image the image, for messages
     * @param spare counters given back by settled chunks, shared by the images of a host
     */
    ImageRefs(String image, ArrayDeque<char[]> spare) {
        this.image = image;
        this.spare = spare;
    }

    /**
     * Adds one reference to the pages {@code firstPage + i} for every bit {@code i} set.
     *
     * @param firstPage a multiple of 64
     * @param bits which pages
     * @return pages that had no reference before (new frames)
     */
    int add(long firstPage, long bits) {
        if (bits == 0) {
            return 0;
        }
        char[] counts = counters(firstPage);
        int base = (int) (firstPage & (CHUNK - 1));
        int fresh = 0;
        int wrapped = 0;
        if (bits == -1L) {
            // a whole word, the common case of a scan: a plain loop the compiler can vectorize
            for (int i = base; i < base + 64; i++) {
                char v = counts[i];
                fresh += v == 0 ? 1 : 0;
                wrapped |= v == MAX_COUNT ? 1 : 0;
                counts[i] = (char) (v + 1);
            }
        } else {
            for (long b = bits; b != 0; b &= b - 1) {
                int i = base + Long.numberOfTrailingZeros(b);
                char v = counts[i];
                fresh += v == 0 ? 1 : 0;
                wrapped |= v == MAX_COUNT ? 1 : 0;
                counts[i] = (char) (v + 1);
            }
        }
        if (wrapped != 0) {
            throw new IllegalStateException("image " + image + ": a page of [" + firstPage + ", " + (firstPage + 63)
                    + "] has more than " + MAX_COUNT + " references");
        }
        return fresh;
    }

    /**
     * Adds one reference to every page of the chunk starting at {@code firstPage}.
     *
     * @param firstPage a multiple of {@value #CHUNK}
     * @return pages that had no reference before (new frames)
     */
    int addChunk(long firstPage) {
        int c = (int) (firstPage >>> SHIFT);
        if (c < uniform.length && mixed[c] == null) {
            int k = uniform[c];
            if (k == MAX_COUNT) {
                throw new IllegalStateException("image " + image + ": the pages from " + firstPage + " have " + MAX_COUNT
                        + " references already");
            }
            uniform[c] = k + 1;
            return k == 0 ? CHUNK : 0;
        }
        int fresh = 0;
        for (int i = 0; i < CHUNK; i += 64) {
            fresh += add(firstPage + i, -1L);
        }
        settle(firstPage);
        return fresh;
    }

    /**
     * Drops one reference of the pages {@code firstPage + i} for every bit {@code i} set.
     *
     * @param firstPage a multiple of 64
     * @param bits which pages
     * @return pages left without reference (frames freed)
     */
    int remove(long firstPage, long bits) {
        if (bits == 0) {
            return 0;
        }
        int c = (int) (firstPage >>> SHIFT);
        if (c >= uniform.length) {
            throw new IllegalStateException("image " + image + " page " + firstPage + " has no reference to drop");
        }
        char[] counts = counters(firstPage);
        int base = (int) (firstPage & (CHUNK - 1));
        int freed = 0;
        for (long b = bits; b != 0; b &= b - 1) {
            int i = base + Long.numberOfTrailingZeros(b);
            if (counts[i] == 0) {
                throw new IllegalStateException("image " + image + " page " + (firstPage + i - base) + " has no reference to drop");
            }
            if (--counts[i] == 0) {
                freed++;
            }
        }
        return freed;
    }

    /**
     * @param page an image page
     * @return guest pages mapping it
     */
    int count(long page) {
        int c = (int) (page >>> SHIFT);
        if (c >= uniform.length) {
            return 0;
        }
        char[] m = mixed[c];
        return m == null ? uniform[c] : m[(int) (page & (CHUNK - 1))];
    }

    /**
     * Stores the chunk of {@code page} as one count again if all its pages have the same count.
     *
     * @param page any page of the chunk
     */
    void settle(long page) {
        int c = (int) (page >>> SHIFT);
        if (c >= uniform.length || mixed[c] == null) {
            return;
        }
        char[] m = mixed[c];
        char first = m[0];
        for (int i = 1; i < CHUNK; i++) {
            if (m[i] != first) {
                return;
            }
        }
        uniform[c] = first;
        mixed[c] = null;
        if (spare.size() < 64) {
            spare.push(m);
        }
    }

    /** The per-page counters of the chunk of {@code page}, made from its single count if needed. */
    private char[] counters(long page) {
        int c = (int) (page >>> SHIFT);
        if (c >= uniform.length) {
            int size = Math.max(c + 1, uniform.length * 2);
            uniform = java.util.Arrays.copyOf(uniform, size);
            mixed = java.util.Arrays.copyOf(mixed, size);
        }
        char[] m = mixed[c];
        if (m == null) {
            m = spare.isEmpty() ? new char[CHUNK] : spare.pop();
            java.util.Arrays.fill(m, (char) uniform[c]);
            mixed[c] = m;
        }
        return m;
    }
}
