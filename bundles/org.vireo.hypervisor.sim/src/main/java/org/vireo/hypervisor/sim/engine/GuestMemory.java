package org.vireo.hypervisor.sim.engine;

import java.util.Map;
import java.util.TreeMap;

/**
 * The memory of one guest at 4 KiB page granularity, kept compact enough for ten thousand
 * guests in a few GiB of heap: no object per page.
 * <p>
 * <b>Content.</b> At boot guest memory is laid out in four runs by the workload's content mix:
 * OS-image pages {@code [0, imageEnd)} (guest page {@code i} holds page {@code i} of the image,
 * identical in every VM booted from it), compressible data, random data, and zero pages at the
 * top. A page the workload writes gets new data unique to the VM, compressible or random as the
 * workload's data mix says (decided per 64-page block, so bulk writes stay word operations); the
 * <em>written</em> bitmap tells which pages no longer hold their boot content.
 * <p>
 * <b>Dirty state.</b> A second bitmap marks pages written since the dirty log was last
 * collected ({@link #collectDirty()}), the way live migration tracks them.
 * <p>
 * <b>Location.</b> Every page is in exactly one {@link PageLocation}. Memory is cut into chunks
 * of {@value #CHUNK_PAGES} pages (16 MiB); a chunk whose pages are all in one location stores
 * just that location, a mixed chunk two bit planes. Bitmaps are allocated per chunk only where
 * the workload writes, and a chunk whose bitmap fills up shares one read-only full bitmap, so
 * a saturated working set costs no bitmap memory. Counters by content class × location are kept
 * exact at every change, so figures cost nothing to read.
 * <p>
 * <b>Operations</b> the memory strategies ask for: {@link #shareScan} (merge zero and image pages
 * with identical ones, copy-on-write), {@link #balloonInflate}/{@link #balloonDeflate} (the
 * balloon takes pages from the top of guest memory down, where free memory is), {@link #swapOut}
 * (cold pages first: outside the working set) and {@link #swapIn}. A workload write to a shared
 * page copies it (private again), to a swapped page faults it in; ballooned pages are not
 * written. A page given back by the balloon returns with its boot content.
 * <p>
 * Not thread-safe: its host steps it under the engine's control.
 */
public final class GuestMemory {
    /** Pages per chunk. */
    public static final int CHUNK_PAGES = 4096;
    private static final int CHUNK_SHIFT = 12;
    private static final int WORDS = CHUNK_PAGES / 64;
    private static final byte MIXED = -1;
    /** A bitmap with every bit set, shared read-only by every full chunk of every guest. */
    private static final long[] FULL = full();
    private static final int CLASSES = 4;
    private static final int LOCATIONS = 4;

    private final long pages;
    private final int chunks;
    private final String image;
    private final long imageEnd;
    private final long compressibleEnd;
    private final long randomEnd;
    private final long wsStart;
    private final long wsPages;
    private final long compressibleThreshold;
    private final long salt;

    private final long[][] written;
    private final int[] writtenCount;
    private long[][] dirty;
    private int[] dirtyCount;
    private long dirtyTotal;
    private long writtenTotal;
    private final byte[] chunkLocation;
    private long[][] locLow;
    private long[][] locHigh;
    private final int[] locCount;
    private final long[] counts = new long[CLASSES * LOCATIONS];

    private long shareCursor;
    /** Pages the scanner may still examine: it works in whole chunks, so a budget below one waits here. */
    private long shareCredit;
    private long swapCursor;
    private long balloonFloor;
    private long swapFaults;
    private long cowBreaks;
    /** Working-set pages not in {@link PageLocation#PRIVATE}: a write there has more to do than set bits. */
    private long wsNotPrivate;
    /** Pages outside the working set written (by {@link #guestWrite}), still holding their new content. */
    private long outsideWritten;
    /** Pages outside the working set dirty since the log was last collected. */
    private long outsideDirty;

    /**
     * A freshly booted guest: every page private, clean and holding its boot content.
     *
     * @param pages configured memory in pages
     * @param image the OS image it booted from
     * @param profile its workload (content mix and working set)
     * @param salt a per-VM number that decides which written blocks compress
     */
    public GuestMemory(long pages, String image, WorkloadProfile profile, long salt) {
        if (pages <= 0 || pages > (long) Integer.MAX_VALUE * CHUNK_PAGES) {
            throw new IllegalArgumentException("guest pages out of range: " + pages);
        }
        this.pages = pages;
        this.chunks = (int) ((pages + CHUNK_PAGES - 1) >>> CHUNK_SHIFT);
        this.image = image;
        this.imageEnd = Math.min(pages, Math.round(pages * profile.image()));
        this.compressibleEnd = Math.min(pages, imageEnd + Math.round(pages * profile.compressible()));
        this.randomEnd = Math.min(pages, compressibleEnd + Math.round(pages * profile.random()));
        this.wsPages = Math.min(pages, Math.max(1, profile.workingSetPages()));
        // the working set starts a quarter of its size inside the image run (libraries' data
        // pages are rewritten) and extends upward; it never runs past the top
        this.wsStart = Math.max(0, Math.min(imageEnd - Math.min(imageEnd, wsPages / 4), pages - wsPages));
        this.compressibleThreshold = (long) (profile.writtenCompressible() * (1L << 53));
        this.salt = salt;
        this.written = new long[chunks][];
        this.writtenCount = new int[chunks];
        this.dirty = new long[chunks][];
        this.dirtyCount = new int[chunks];
        this.chunkLocation = new byte[chunks];
        this.locCount = new int[chunks * LOCATIONS];
        for (int c = 0; c < chunks; c++) {
            locCount[c * LOCATIONS] = chunkSize(c);
        }
        counts[idx(ContentClass.IMAGE.ordinal(), 0)] = imageEnd;
        counts[idx(ContentClass.COMPRESSIBLE.ordinal(), 0)] = compressibleEnd - imageEnd;
        counts[idx(ContentClass.RANDOM.ordinal(), 0)] = randomEnd - compressibleEnd;
        counts[idx(ContentClass.ZERO.ordinal(), 0)] = pages - randomEnd;
        this.balloonFloor = pages;
    }

    // ---------------------------------------------------------------- reading

    /** @return configured pages */
    public long pages() {
        return pages;
    }

    /** @return the OS image */
    public String image() {
        return image;
    }

    /** @return first page of the working set */
    public long workingSetStart() {
        return wsStart;
    }

    /** @return pages in the working set */
    public long workingSetPages() {
        return wsPages;
    }

    /**
     * @param location a location
     * @return pages in it
     */
    public long pagesIn(PageLocation location) {
        long n = 0;
        for (int c = 0; c < CLASSES; c++) {
            n += counts[idx(c, location.ordinal())];
        }
        return n;
    }

    /**
     * @param content a content class
     * @param location a location
     * @return pages of that content in that location
     */
    public long pages(ContentClass content, PageLocation location) {
        return counts[idx(content.ordinal(), location.ordinal())];
    }

    /** @return pages backed by host memory: private plus shared mappings */
    public long residentPages() {
        return pagesIn(PageLocation.PRIVATE) + pagesIn(PageLocation.SHARED);
    }

    /** @return resident pages by content class key ({@code zero}, {@code image}, ...) */
    public Map<String, Long> residentByContent() {
        Map<String, Long> m = new TreeMap<>();
        for (ContentClass c : ContentClass.values()) {
            m.put(c.key(), pages(c, PageLocation.PRIVATE) + pages(c, PageLocation.SHARED));
        }
        return m;
    }

    /** @return pages written since the dirty log was last collected */
    public long dirtyPages() {
        return dirtyTotal;
    }

    /** @return pages whose boot content the workload has replaced */
    public long writtenPages() {
        return writtenTotal;
    }

    /** @return swapped pages the workload touched, which were read back */
    public long swapFaults() {
        return swapFaults;
    }

    /** @return shared pages a write copied */
    public long copyOnWriteBreaks() {
        return cowBreaks;
    }

    /** @return pages the workload touches that are not ballooned (the active-memory estimate) */
    public long activePages() {
        long top = Math.min(wsStart + wsPages, balloonFloor);
        return Math.max(0, top - wsStart);
    }

    /**
     * @param page a guest page
     * @return its content now
     */
    public ContentClass contentOf(long page) {
        return ContentClass.of(content(page));
    }

    /**
     * @param page a guest page
     * @return its location
     */
    public PageLocation locationOf(long page) {
        return PageLocation.of(location(page));
    }

    /**
     * @param page a guest page
     * @return whether it was written since the dirty log was last collected
     */
    public boolean isDirty(long page) {
        long[] d = dirty[(int) (page >>> CHUNK_SHIFT)];
        return d != null && (d[word(page)] & bit(page)) != 0;
    }

    /**
     * @param page a guest page
     * @return whether the workload replaced its boot content
     */
    public boolean isWritten(long page) {
        long[] w = written[(int) (page >>> CHUNK_SHIFT)];
        return w != null && (w[word(page)] & bit(page)) != 0;
    }

    // ---------------------------------------------------------------- the workload

    /**
     * The workload writes {@code count} consecutive pages of its working set from offset
     * {@code offset}, wrapping at its end.
     *
     * @param offset the first page, relative to the working set (0..workingSetPages-1)
     * @param count pages to write; at most the working set
     * @param sharing the host's shared pages, for copy-on-write
     * @return pages written
     */
    public long writeWorkingSet(long offset, long count, SharingTable sharing) {
        long n = Math.min(count, wsPages);
        if (n <= 0) {
            return 0;
        }
        if (quiet()) {
            // the whole working set is already written and dirty, and private: nothing can change
            return n;
        }
        long from = wsStart + Math.floorMod(offset, wsPages);
        long end = wsStart + wsPages;
        long first = Math.min(n, end - from);
        write(from, first, sharing);
        if (n > first) {
            write(wsStart, n - first, sharing);
        }
        return n;
    }

    /**
     * @return whether a workload write can change nothing: the whole working set is written,
     *         dirty and private (pages outside it may be shared, ballooned or swapped). Any
     *         other operation may end this.
     */
    public boolean quiet() {
        return wsNotPrivate == 0 && writtenTotal - outsideWritten == wsPages && dirtyTotal - outsideDirty == wsPages;
    }

    /**
     * Writes pages {@code [from, from+count)}: new content, dirty, copy-on-write for shared
     * pages, fault-in for swapped ones; ballooned pages are skipped.
     *
     * @param from first page
     * @param count pages
     * @param sharing the host's shared pages
     */
    void write(long from, long count, SharingTable sharing) {
        long to = Math.min(pages, from + count);
        for (long lo = from; lo < to;) {
            int c = (int) (lo >>> CHUNK_SHIFT);
            long hi = Math.min(to, ((long) c + 1) << CHUNK_SHIFT);
            byte loc = chunkLocation[c];
            if (loc == PageLocation.PRIVATE.ordinal()) {
                // only the workload writes, only within its working set: a chunk whose working-set
                // pages are all written and dirty has nothing left to change
                int inWs = workingSetPagesIn(c);
                if (outsideWritten != 0 || outsideDirty != 0 || writtenCount[c] != inWs || dirtyCount[c] != inWs) {
                    writePrivate(c, lo, hi);
                }
            } else if (loc != PageLocation.BALLOONED.ordinal()) {
                for (long p = lo; p < hi; p++) {
                    writePage(p, sharing);
                }
            }
            lo = hi;
        }
    }

    private void writePrivate(int c, long lo, long hi) {
        long base = (long) c << CHUNK_SHIFT;
        if (lo == base && hi - lo == CHUNK_PAGES && (written[c] == null || dirty[c] == null)) {
            writeWholeChunk(c, base);
            if (written[c] == FULL && dirty[c] == FULL) {
                return;
            }
        }
        long[] w = written[c];
        if (w == null) {
            w = written[c] = new long[WORDS];
        }
        long[] d = dirty[c];
        if (d == null) {
            d = dirty[c] = new long[WORDS];
        }
        int wFirst = (int) ((lo - base) >>> 6);
        int wLast = (int) ((hi - 1 - base) >>> 6);
        int newlyWritten = 0;
        int newlyDirty = 0;
        for (int i = wFirst; i <= wLast; i++) {
            long wordStart = base + ((long) i << 6);
            long mask = rangeMask(wordStart, lo, hi);
            long fresh = mask & ~w[i];
            if (fresh != 0) {
                int k = Long.bitCount(fresh);
                newlyWritten += k;
                w[i] |= fresh;
                int data = dataClass(wordStart >>> 6);
                moveBootContent(wordStart, fresh, data, PageLocation.PRIVATE.ordinal());
            }
            long clean = mask & ~d[i];
            if (clean != 0) {
                newlyDirty += Long.bitCount(clean);
                d[i] |= clean;
            }
        }
        writtenCount[c] += newlyWritten;
        writtenTotal += newlyWritten;
        dirtyCount[c] += newlyDirty;
        dirtyTotal += newlyDirty;
        compact(c);
    }

    /** A write covering a whole chunk that has no bitmap yet: set it full without allocating one. */
    private void writeWholeChunk(int c, long base) {
        if (written[c] == null) {
            for (int i = 0; i < WORDS; i++) {
                long wordStart = base + ((long) i << 6);
                moveBootContent(wordStart, -1L, dataClass(wordStart >>> 6), PageLocation.PRIVATE.ordinal());
            }
            writtenTotal += CHUNK_PAGES - writtenCount[c];
            writtenCount[c] = CHUNK_PAGES;
            written[c] = FULL;
        }
        if (dirty[c] == null) {
            dirtyTotal += CHUNK_PAGES - dirtyCount[c];
            dirtyCount[c] = CHUNK_PAGES;
            dirty[c] = FULL;
        }
    }

    /** Replaces a full chunk's bitmaps by the shared full one: most of a busy working set ends so. */
    private void compact(int c) {
        if (writtenCount[c] == CHUNK_PAGES) {
            written[c] = FULL;
        }
        if (dirtyCount[c] == CHUNK_PAGES) {
            dirty[c] = FULL;
        }
    }

    private static long[] full() {
        long[] f = new long[WORDS];
        java.util.Arrays.fill(f, -1L);
        return f;
    }

    /** Moves the boot content of the pages in {@code bits} (unwritten until now) to {@code data}. */
    private void moveBootContent(long wordStart, long bits, int data, int loc) {
        long wordEnd = wordStart + 64;
        if (wordEnd <= imageEnd) {
            shift(ContentClass.IMAGE.ordinal(), data, loc, Long.bitCount(bits));
        } else if (wordStart >= imageEnd && wordEnd <= compressibleEnd) {
            shift(ContentClass.COMPRESSIBLE.ordinal(), data, loc, Long.bitCount(bits));
        } else if (wordStart >= compressibleEnd && wordEnd <= randomEnd) {
            shift(ContentClass.RANDOM.ordinal(), data, loc, Long.bitCount(bits));
        } else if (wordStart >= randomEnd) {
            shift(ContentClass.ZERO.ordinal(), data, loc, Long.bitCount(bits));
        } else {
            shift(ContentClass.IMAGE.ordinal(), data, loc, Long.bitCount(bits & rangeMask(wordStart, 0, imageEnd)));
            shift(ContentClass.COMPRESSIBLE.ordinal(), data, loc,
                    Long.bitCount(bits & rangeMask(wordStart, imageEnd, compressibleEnd)));
            shift(ContentClass.RANDOM.ordinal(), data, loc,
                    Long.bitCount(bits & rangeMask(wordStart, compressibleEnd, randomEnd)));
            shift(ContentClass.ZERO.ordinal(), data, loc, Long.bitCount(bits & rangeMask(wordStart, randomEnd, pages)));
        }
    }

    private void shift(int from, int to, int loc, int n) {
        if (n != 0 && from != to) {
            counts[idx(from, loc)] -= n;
            counts[idx(to, loc)] += n;
        }
    }

    private void writePage(long p, SharingTable sharing) {
        int loc = location(p);
        if (loc == PageLocation.BALLOONED.ordinal()) {
            return;
        }
        if (loc == PageLocation.SHARED.ordinal()) {
            unshare(p, sharing);
            setLocation(p, PageLocation.PRIVATE.ordinal());
            cowBreaks++;
        } else if (loc == PageLocation.SWAPPED.ordinal()) {
            setLocation(p, PageLocation.PRIVATE.ordinal());
            swapFaults++;
        }
        int c = (int) (p >>> CHUNK_SHIFT);
        int i = word(p);
        long b = bit(p);
        long[] w = written[c];
        if (w == null) {
            w = written[c] = new long[WORDS];
        }
        boolean outside = !inWorkingSet(p);
        if ((w[i] & b) == 0) {
            int before = content(p);
            w[i] |= b;
            writtenCount[c]++;
            writtenTotal++;
            if (outside) {
                outsideWritten++;
            }
            shift(before, content(p), PageLocation.PRIVATE.ordinal(), 1);
        }
        long[] d = dirty[c];
        if (d == null) {
            d = dirty[c] = new long[WORDS];
        }
        if ((d[i] & b) == 0) {
            d[i] |= b;
            dirtyCount[c]++;
            dirtyTotal++;
            if (outside) {
                outsideDirty++;
            }
        }
        compact(c);
    }

    /**
     * Reads and clears the dirty log, as a migration round does.
     *
     * @return pages that were dirty
     */
    public long collectDirty() {
        long n = dirtyTotal;
        dirty = new long[chunks][];
        dirtyCount = new int[chunks];
        dirtyTotal = 0;
        outsideDirty = 0;
        return n;
    }

    // ---------------------------------------------------------------- memory operations

    /**
     * Page sharing: examines {@code budget} more pages from where the last scan stopped and maps
     * every private page still holding zero or OS-image content to the host's shared frame for
     * that content. The scanner works through memory in whole chunks of {@value #CHUNK_PAGES}
     * pages (the rest of a chunk at the first call): a budget smaller than what is left of the
     * chunk under the cursor is kept as credit for the next call, at most one pass over memory.
     * Over many calls the pages examined are the budgets given.
     *
     * @param budget pages to examine
     * @param sharing the host's shared pages
     * @return pages newly shared
     */
    public long shareScan(long budget, SharingTable sharing) {
        shareCredit = Math.min(pages, shareCredit + Math.max(0, Math.min(budget, pages)));
        long merged = 0;
        while (shareCredit > 0) {
            long lo = shareCursor;
            int c = (int) (lo >>> CHUNK_SHIFT);
            long hi = Math.min(pages, ((long) c + 1) << CHUNK_SHIFT);
            if (hi - lo > shareCredit) {
                break;
            }
            merged += shareRange(c, lo, hi, sharing);
            shareCredit -= hi - lo;
            shareCursor = hi == pages ? 0 : hi;
        }
        return merged;
    }

    /** Merges the private, unwritten zero and image pages of {@code [lo, hi)}, all in chunk {@code c}, 64 at a time. */
    private long shareRange(int c, long lo, long hi, SharingTable sharing) {
        byte loc = chunkLocation[c];
        long[] w = written[c];
        if (loc != MIXED && loc != PageLocation.PRIVATE.ordinal() || w == FULL || lo >= imageEnd && hi <= randomEnd) {
            return 0;
        }
        long base = (long) c << CHUNK_SHIFT;
        if (loc == PageLocation.PRIVATE.ordinal() && w == null && lo == base && hi == base + CHUNK_PAGES) {
            // a whole chunk of boot content, all private: one step if it is all image or all zero
            if (hi <= imageEnd) {
                sharing.refImageRun(CHUNK_PAGES, sharing.refs(image).addChunk(base));
                moveBootChunk(c, PageLocation.SHARED.ordinal());
                return CHUNK_PAGES;
            }
            if (lo >= randomEnd) {
                sharing.refZero(CHUNK_PAGES);
                moveBootChunk(c, PageLocation.SHARED.ordinal());
                return CHUNK_PAGES;
            }
        }
        long merged = 0;
        long imageMerged = 0;
        long fresh = 0;
        ImageRefs refs = lo < imageEnd ? sharing.refs(image) : null;
        int first = (int) ((lo - base) >>> 6);
        int last = (int) ((hi - 1 - base) >>> 6);
        for (int i = first; i <= last; i++) {
            long wordStart = base + ((long) i << 6);
            long range = rangeMask(wordStart, lo, hi);
            long imageBits = range & rangeMask(wordStart, 0, imageEnd);
            long zeroBits = range & rangeMask(wordStart, randomEnd, pages);
            long candidates = (imageBits | zeroBits) & privateBits(c, i) & (w == null ? -1L : ~w[i]);
            if (candidates == 0) {
                continue;
            }
            sharing.refZero(Long.bitCount(candidates & zeroBits));
            long images = candidates & imageBits;
            if (images != 0) {
                fresh += refs.add(wordStart, images);
                imageMerged += Long.bitCount(images);
            }
            moveBits(c, i, candidates, PageLocation.PRIVATE.ordinal(), PageLocation.SHARED.ordinal());
            merged += Long.bitCount(candidates);
        }
        sharing.refImageRun(imageMerged, fresh);
        if (hi == base + chunkSize(c) && base < imageEnd) {
            sharing.settle(image, base);
        }
        return merged;
    }

    /**
     * The balloon driver takes {@code count} more pages, from the top of guest memory down.
     *
     * @param count pages to take
     * @param sharing the host's shared pages (a ballooned shared page drops its mapping)
     * @return pages taken
     */
    public long balloonInflate(long count, SharingTable sharing) {
        long taken = 0;
        while (taken < count && balloonFloor > 0) {
            long p = --balloonFloor;
            int loc = location(p);
            if (loc == PageLocation.SHARED.ordinal()) {
                unshare(p, sharing);
            }
            setLocation(p, PageLocation.BALLOONED.ordinal());
            taken++;
        }
        return taken;
    }

    /**
     * The balloon gives {@code count} pages back to the guest; they return private with their
     * boot content.
     *
     * @param count pages to give back
     * @return pages given back
     */
    public long balloonDeflate(long count) {
        long given = 0;
        while (given < count && balloonFloor < pages) {
            long p = balloonFloor++;
            int c = (int) (p >>> CHUNK_SHIFT);
            long[] w = written[c];
            if (w != null && (w[word(p)] & bit(p)) != 0) {
                int before = content(p);
                if (w == FULL) {
                    w = written[c] = FULL.clone();
                }
                w[word(p)] &= ~bit(p);
                writtenCount[c]--;
                writtenTotal--;
                if (!inWorkingSet(p)) {
                    outsideWritten--;
                }
                shift(before, content(p), PageLocation.BALLOONED.ordinal(), 1);
            }
            setLocation(p, PageLocation.PRIVATE.ordinal());
            given++;
        }
        return given;
    }

    /** @return pages held by the balloon */
    public long balloonedPages() {
        return pages - balloonFloor;
    }

    /**
     * Writes up to {@code count} private pages to swap: pages outside the working set first.
     *
     * @param count pages to swap out
     * @return pages swapped out
     */
    public long swapOut(long count) {
        long done = swapOutWhere(count, false);
        if (done < count) {
            done += swapOutWhere(count - done, true);
        }
        return done;
    }

    private long swapOutWhere(long count, boolean inWorkingSet) {
        long done = 0;
        long seen = 0;
        while (done < count && seen < pages) {
            long p = swapCursor;
            int c = (int) (p >>> CHUNK_SHIFT);
            if (chunkLocation[c] != MIXED && chunkLocation[c] != PageLocation.PRIVATE.ordinal()) {
                long next = ((long) c + 1) << CHUNK_SHIFT;
                seen += next - p;
                swapCursor = next >= pages ? 0 : next;
                continue;
            }
            swapCursor = p + 1 == pages ? 0 : p + 1;
            seen++;
            boolean inWs = p >= wsStart && p < wsStart + wsPages;
            if (inWs == inWorkingSet && location(p) == PageLocation.PRIVATE.ordinal()) {
                setLocation(p, PageLocation.SWAPPED.ordinal());
                done++;
            }
        }
        return done;
    }

    /**
     * Reads up to {@code count} swapped pages back ahead of use.
     *
     * @param count pages to read back
     * @return pages read back
     */
    public long swapIn(long count) {
        long done = 0;
        for (int c = 0; c < chunks && done < count; c++) {
            if (locCount[c * LOCATIONS + PageLocation.SWAPPED.ordinal()] == 0) {
                continue;
            }
            long base = (long) c << CHUNK_SHIFT;
            long end = base + chunkSize(c);
            for (long p = base; p < end && done < count; p++) {
                if (location(p) == PageLocation.SWAPPED.ordinal()) {
                    setLocation(p, PageLocation.PRIVATE.ordinal());
                    done++;
                }
            }
        }
        return done;
    }

    /**
     * Drops every shared mapping, when the guest stops or crashes and its memory is freed.
     *
     * @param sharing the host's shared pages
     */
    public void release(SharingTable sharing) {
        for (int c = 0; c < chunks; c++) {
            if (locCount[c * LOCATIONS + PageLocation.SHARED.ordinal()] == 0) {
                continue;
            }
            long base = (long) c << CHUNK_SHIFT;
            long end = base + chunkSize(c);
            for (int i = 0; i < WORDS; i++) {
                long wordStart = base + ((long) i << 6);
                // a shared page is never written (a write copies it first): its content is its boot content
                long bits = sharedBits(c, i) & rangeMask(wordStart, base, end);
                if (bits == 0) {
                    continue;
                }
                sharing.unrefZero(Long.bitCount(bits & rangeMask(wordStart, randomEnd, pages)));
                sharing.unrefImageBits(image, wordStart, bits & rangeMask(wordStart, 0, imageEnd));
                moveBits(c, i, bits, PageLocation.SHARED.ordinal(), PageLocation.PRIVATE.ordinal());
            }
            if (base < imageEnd) {
                sharing.settle(image, base);
            }
        }
    }

    // ---------------------------------------------------------------- the guest, page by page

    /**
     * The guest writes pages {@code [from, from+count)} one by one, wherever they lie (inside or
     * outside its working set): new content, dirty; a shared page is copied first
     * (copy-on-write: only this guest's mapping changes), a swapped one faulted in, a ballooned
     * one skipped. For tools and tests that need a write at a known page.
     *
     * @param from the first page, 0..pages-1
     * @param count pages, at least 0
     * @param sharing the host's shared pages
     * @return pages written (ballooned pages are not)
     */
    public long guestWrite(long from, long count, SharingTable sharing) {
        if (from < 0 || from >= pages || count < 0) {
            throw new IllegalArgumentException("pages [" + from + ", +" + count + ") outside guest memory of " + pages + " pages");
        }
        long to = Math.min(pages, from + count);
        long n = 0;
        for (long p = from; p < to; p++) {
            if (location(p) != PageLocation.BALLOONED.ordinal()) {
                writePage(p, sharing);
                n++;
            }
        }
        return n;
    }

    /**
     * A fingerprint of every page's content identity: which pages still hold their boot content
     * (OS-image page {@code i}, zero, boot data) and which hold data the guest wrote. It does
     * not depend on where the pages are (private, shared, ballooned, swapped), so moving pages
     * between locations never changes it, and a write changes it.
     *
     * @return the fingerprint
     */
    public long contentDigest() {
        long h = Seeds.mix(pages * 31 + imageEnd) ^ Seeds.mix(compressibleEnd * 17 + randomEnd) ^ image.hashCode();
        for (int c = 0; c < chunks; c++) {
            long[] w = written[c];
            if (w == null) {
                h = Seeds.mix(h + c);
                continue;
            }
            for (int i = 0; i < WORDS; i++) {
                h = Seeds.mix(h ^ w[i]) + i;
            }
        }
        return h;
    }

    // ---------------------------------------------------------------- internals

    private void unshare(long p, SharingTable sharing) {
        int content = content(p);
        if (content == ContentClass.ZERO.ordinal()) {
            sharing.unrefZero();
        } else {
            sharing.unrefImage(image, p);
        }
    }

    private int content(long p) {
        long[] w = written[(int) (p >>> CHUNK_SHIFT)];
        if (w != null && (w[word(p)] & bit(p)) != 0) {
            return dataClass(p >>> 6);
        }
        return bootClass(p);
    }

    private int bootClass(long p) {
        if (p < imageEnd) {
            return ContentClass.IMAGE.ordinal();
        }
        if (p < compressibleEnd) {
            return ContentClass.COMPRESSIBLE.ordinal();
        }
        if (p < randomEnd) {
            return ContentClass.RANDOM.ordinal();
        }
        return ContentClass.ZERO.ordinal();
    }

    private int dataClass(long block) {
        long h = Seeds.mix(block ^ salt) >>> 11;
        return h < compressibleThreshold ? ContentClass.COMPRESSIBLE.ordinal() : ContentClass.RANDOM.ordinal();
    }

    private int location(long p) {
        int c = (int) (p >>> CHUNK_SHIFT);
        byte loc = chunkLocation[c];
        if (loc != MIXED) {
            return loc;
        }
        int i = word(p);
        long b = bit(p);
        return ((locLow[c][i] & b) != 0 ? 1 : 0) | ((locHigh[c][i] & b) != 0 ? 2 : 0);
    }

    private void setLocation(long p, int to) {
        moveBits((int) (p >>> CHUNK_SHIFT), word(p), bit(p), location(p), to);
    }

    /** Bits of word {@code i} of chunk {@code c} whose page is private (past the last page too, for a uniform chunk). */
    private long privateBits(int c, int i) {
        byte loc = chunkLocation[c];
        if (loc != MIXED) {
            return loc == PageLocation.PRIVATE.ordinal() ? -1L : 0;
        }
        return ~(locLow[c][i] | locHigh[c][i]);
    }

    /** Bits of word {@code i} of chunk {@code c} whose page is shared (past the last page too, for a uniform chunk). */
    private long sharedBits(int c, int i) {
        byte loc = chunkLocation[c];
        if (loc != MIXED) {
            return loc == PageLocation.SHARED.ordinal() ? -1L : 0;
        }
        return locLow[c][i] & ~locHigh[c][i];
    }

    /**
     * Moves the pages of {@code bits} in word {@code i} of chunk {@code c}, every one of them in
     * location {@code from}, to location {@code to}, keeping every counter exact.
     */
    private void moveBits(int c, int i, long bits, int from, int to) {
        int n = Long.bitCount(bits);
        if (n == 0 || from == to) {
            return;
        }
        long wordStart = ((long) c << CHUNK_SHIFT) + ((long) i << 6);
        long[] w = written[c];
        long writtenBits = w == null ? 0 : w[i] & bits;
        long boot = bits & ~writtenBits;
        if (writtenBits != 0) {
            moveCount(dataClass(wordStart >>> 6), from, to, Long.bitCount(writtenBits));
        }
        if (boot != 0) {
            moveCount(ContentClass.IMAGE.ordinal(), from, to, Long.bitCount(boot & rangeMask(wordStart, 0, imageEnd)));
            moveCount(ContentClass.COMPRESSIBLE.ordinal(), from, to,
                    Long.bitCount(boot & rangeMask(wordStart, imageEnd, compressibleEnd)));
            moveCount(ContentClass.RANDOM.ordinal(), from, to, Long.bitCount(boot & rangeMask(wordStart, compressibleEnd, randomEnd)));
            moveCount(ContentClass.ZERO.ordinal(), from, to, Long.bitCount(boot & rangeMask(wordStart, randomEnd, pages)));
        }
        trackWorkingSet(from, to, Long.bitCount(bits & rangeMask(wordStart, wsStart, wsStart + wsPages)));
        locCount[c * LOCATIONS + from] -= n;
        locCount[c * LOCATIONS + to] += n;
        if (locCount[c * LOCATIONS + to] == chunkSize(c)) {
            chunkLocation[c] = (byte) to;
            if (locLow != null) {
                locLow[c] = null;
                locHigh[c] = null;
            }
            return;
        }
        if (chunkLocation[c] != MIXED) {
            expand(c, chunkLocation[c]);
        }
        locLow[c][i] = (to & 1) != 0 ? locLow[c][i] | bits : locLow[c][i] & ~bits;
        locHigh[c][i] = (to & 2) != 0 ? locHigh[c][i] | bits : locHigh[c][i] & ~bits;
    }

    /**
     * Moves every page of chunk {@code c}, all in one location and none written (each holds its
     * boot content), to location {@code to}.
     */
    private void moveBootChunk(int c, int to) {
        int from = chunkLocation[c];
        long lo = (long) c << CHUNK_SHIFT;
        long hi = lo + chunkSize(c);
        moveCount(ContentClass.IMAGE.ordinal(), from, to, overlap(lo, hi, 0, imageEnd));
        moveCount(ContentClass.COMPRESSIBLE.ordinal(), from, to, overlap(lo, hi, imageEnd, compressibleEnd));
        moveCount(ContentClass.RANDOM.ordinal(), from, to, overlap(lo, hi, compressibleEnd, randomEnd));
        moveCount(ContentClass.ZERO.ordinal(), from, to, overlap(lo, hi, randomEnd, pages));
        trackWorkingSet(from, to, overlap(lo, hi, wsStart, wsStart + wsPages));
        locCount[c * LOCATIONS + from] = 0;
        locCount[c * LOCATIONS + to] = chunkSize(c);
        chunkLocation[c] = (byte) to;
    }

    /** Keeps the count of working-set pages not private as {@code inWs} of them move from {@code from} to {@code to}. */
    private void trackWorkingSet(int from, int to, int inWs) {
        if (from == PageLocation.PRIVATE.ordinal()) {
            wsNotPrivate += inWs;
        } else if (to == PageLocation.PRIVATE.ordinal()) {
            wsNotPrivate -= inWs;
        }
    }

    private static int overlap(long lo, long hi, long from, long to) {
        return (int) Math.max(0, Math.min(hi, to) - Math.max(lo, from));
    }

    private void moveCount(int content, int from, int to, int n) {
        if (n != 0) {
            counts[idx(content, from)] -= n;
            counts[idx(content, to)] += n;
        }
    }

    private boolean inWorkingSet(long p) {
        return p >= wsStart && p < wsStart + wsPages;
    }

    private void expand(int c, int uniform) {
        if (locLow == null) {
            locLow = new long[chunks][];
            locHigh = new long[chunks][];
        }
        long[] low = new long[WORDS];
        long[] high = new long[WORDS];
        if ((uniform & 1) != 0) {
            java.util.Arrays.fill(low, -1L);
        }
        if ((uniform & 2) != 0) {
            java.util.Arrays.fill(high, -1L);
        }
        locLow[c] = low;
        locHigh[c] = high;
        chunkLocation[c] = MIXED;
    }

    private int workingSetPagesIn(int c) {
        long base = (long) c << CHUNK_SHIFT;
        return (int) Math.max(0, Math.min(base + chunkSize(c), wsStart + wsPages) - Math.max(base, wsStart));
    }

    private int chunkSize(int c) {
        return (int) Math.min(CHUNK_PAGES, pages - ((long) c << CHUNK_SHIFT));
    }

    private static int idx(int content, int location) {
        return content * LOCATIONS + location;
    }

    private static int word(long p) {
        return (int) ((p >>> 6) & (WORDS - 1));
    }

    private static long bit(long p) {
        return 1L << (p & 63);
    }

    /** Bits of the 64-page word starting at {@code wordStart} that fall in {@code [lo, hi)}. */
    private static long rangeMask(long wordStart, long lo, long hi) {
        long a = Math.max(lo, wordStart) - wordStart;
        long b = Math.min(hi, wordStart + 64) - wordStart;
        if (b <= a) {
            return 0;
        }
        long upper = b == 64 ? -1L : (1L << b) - 1;
        long lower = (1L << a) - 1;
        return upper & ~lower;
    }

    /**
     * Recounts every page one by one and compares with the kept counters: every page in exactly
     * one location, counts conserved. For tests and {@code sim:pages --audit}: costs a pass over every page.
     *
     * @return an empty string, or what disagrees
     */
    public String audit() {
        long[] recount = new long[CLASSES * LOCATIONS];
        long dirtyRecount = 0;
        for (long p = 0; p < pages; p++) {
            recount[idx(content(p), location(p))]++;
            if (isDirty(p)) {
                dirtyRecount++;
            }
        }
        StringBuilder sb = new StringBuilder();
        long total = 0;
        for (int i = 0; i < recount.length; i++) {
            total += counts[i];
            if (recount[i] != counts[i]) {
                sb.append(ContentClass.of(i / LOCATIONS)).append('/').append(PageLocation.of(i % LOCATIONS))
                        .append(": kept ").append(counts[i]).append(", counted ").append(recount[i]).append("; ");
            }
        }
        if (total != pages) {
            sb.append("total ").append(total).append(" != pages ").append(pages).append("; ");
        }
        long writtenRecount = 0;
        long outsideRecount = 0;
        long wsNotPrivateRecount = 0;
        for (long p = 0; p < pages; p++) {
            if (isWritten(p)) {
                writtenRecount++;
                if (!inWorkingSet(p)) {
                    outsideRecount++;
                }
            }
            if (inWorkingSet(p) && location(p) != PageLocation.PRIVATE.ordinal()) {
                wsNotPrivateRecount++;
            }
        }
        if (outsideRecount != outsideWritten) {
            sb.append("written outside the working set kept ").append(outsideWritten).append(", counted ").append(outsideRecount)
                    .append("; ");
        }
        if (wsNotPrivateRecount != wsNotPrivate) {
            sb.append("working-set pages not private kept ").append(wsNotPrivate).append(", counted ")
                    .append(wsNotPrivateRecount).append("; ");
        }
        if (writtenRecount != writtenTotal) {
            sb.append("written kept ").append(writtenTotal).append(", counted ").append(writtenRecount).append("; ");
        }
        if (dirtyRecount != dirtyTotal) {
            sb.append("dirty kept ").append(dirtyTotal).append(", counted ").append(dirtyRecount).append("; ");
        }
        for (int c = 0; c < chunks; c++) {
            int sum = 0;
            for (int l = 0; l < LOCATIONS; l++) {
                sum += locCount[c * LOCATIONS + l];
            }
            if (sum != chunkSize(c)) {
                sb.append("chunk ").append(c).append(" locations sum ").append(sum).append("; ");
            }
        }
        return sb.toString();
    }
}
