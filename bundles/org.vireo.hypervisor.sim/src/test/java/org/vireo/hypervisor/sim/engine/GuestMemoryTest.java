package org.vireo.hypervisor.sim.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.vireo.api.model.WorkloadSpec;

class GuestMemoryTest {
    private static final long PAGES = 3 * GuestMemory.CHUNK_PAGES + 777;

    private static GuestMemory memory(String workload, String image) {
        WorkloadSpec spec = WorkloadSpec.parse(workload);
        return new GuestMemory(PAGES, image, WorkloadProfile.of(spec, PAGES), 99);
    }

    @Test
    void bootLayoutFollowsTheContentMixAndEveryPageIsPrivate() {
        GuestMemory m = memory("custom:zero=0.5,image=0.25,compressible=0.125", "deb");
        assertEquals("", m.audit());
        assertEquals(PAGES, m.pagesIn(PageLocation.PRIVATE));
        assertEquals(Math.round(PAGES * 0.25), m.pages(ContentClass.IMAGE, PageLocation.PRIVATE));
        assertEquals(Math.round(PAGES * 0.125), m.pages(ContentClass.COMPRESSIBLE, PageLocation.PRIVATE));
        assertEquals(ContentClass.IMAGE, m.contentOf(0));
        assertEquals(ContentClass.ZERO, m.contentOf(PAGES - 1));
        assertEquals(0, m.dirtyPages());
    }

    @Test
    void workloadWritesOnlyWithinItsWorkingSet() {
        GuestMemory m = memory("db:ws=20", "deb");
        SharingTable t = new SharingTable();
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 200; i++) {
            m.writeWorkingSet(r.nextLong(m.workingSetPages()), 300, t);
        }
        long lo = m.workingSetStart();
        long hi = lo + m.workingSetPages();
        assertEquals(20 * 256, m.workingSetPages());
        long written = 0;
        for (long p = 0; p < PAGES; p++) {
            if (m.isWritten(p) || m.isDirty(p)) {
                assertTrue(p >= lo && p < hi, "page " + p + " written outside the working set [" + lo + ", " + hi + ")");
                written++;
            }
        }
        assertTrue(written > 0.9 * m.workingSetPages(), "written " + written);
        assertEquals(written, m.dirtyPages());
        assertEquals("", m.audit());
        assertEquals(written, m.collectDirty());
        assertEquals(0, m.dirtyPages());
        assertEquals("", m.audit());
    }

    @Test
    void everyPageStaysInExactlyOneLocationThroughEveryOperation() {
        SharingTable t = new SharingTable();
        GuestMemory a = memory("web", "deb");
        GuestMemory b = memory("desktop", "deb");
        SplittableRandom r = new SplittableRandom(5);
        for (int round = 0; round < 40; round++) {
            for (GuestMemory m : new GuestMemory[] {a, b}) {
                switch (r.nextInt(7)) {
                    case 0 -> m.shareScan(r.nextInt(6000), t);
                    case 1 -> m.balloonInflate(r.nextInt(2000), t);
                    case 2 -> m.balloonDeflate(r.nextInt(2000));
                    case 3 -> m.swapOut(r.nextInt(3000));
                    case 4 -> m.swapIn(r.nextInt(3000));
                    default -> m.writeWorkingSet(r.nextLong(m.workingSetPages()), r.nextInt(4000), t);
                }
                assertEquals("", m.audit(), "round " + round);
                long total = 0;
                for (PageLocation l : PageLocation.values()) {
                    total += m.pagesIn(l);
                }
                assertEquals(PAGES, total);
            }
            assertEquals(a.pagesIn(PageLocation.SHARED) + b.pagesIn(PageLocation.SHARED), t.references());
        }
        a.release(t);
        b.release(t);
        assertEquals(0, t.references());
        assertEquals(0, t.frames());
    }

    @Test
    void sharingMergesZeroAndImagePagesAcrossVmsOfTheSameImage() {
        SharingTable t = new SharingTable();
        GuestMemory a = memory("custom:zero=0.5,image=0.5", "deb");
        GuestMemory b = memory("custom:zero=0.5,image=0.5", "deb");
        a.shareScan(PAGES, t);
        b.shareScan(PAGES, t);
        long imagePages = Math.round(PAGES * 0.5);
        assertEquals(2 * PAGES, t.references());
        assertEquals(1 + imagePages, t.frames(), "one zero frame and one frame per image page");
        assertEquals(2 * PAGES - 1 - imagePages, t.savedPages());
        // a write copies the shared page
        a.writeWorkingSet(0, 10, t);
        assertEquals(PageLocation.PRIVATE, a.locationOf(a.workingSetStart()));
        assertEquals(10, a.copyOnWriteBreaks());
        assertEquals(2 * PAGES - 10, t.references());
        assertEquals("", a.audit());
    }

    @Test
    void differentImagesDoNotShare() {
        SharingTable t = new SharingTable();
        memory("custom:image=1", "deb").shareScan(PAGES, t);
        memory("custom:image=1", "rhel").shareScan(PAGES, t);
        assertEquals(0, t.savedPages());
    }

    @Test
    void balloonTakesFromTheTopAndSwapPrefersColdPages() {
        SharingTable t = new SharingTable();
        GuestMemory m = memory("web", "deb");
        assertEquals(1000, m.balloonInflate(1000, t));
        assertEquals(PageLocation.BALLOONED, m.locationOf(PAGES - 1));
        assertEquals(1000, m.balloonedPages());
        assertEquals(400, m.balloonDeflate(400));
        assertEquals(600, m.pagesIn(PageLocation.BALLOONED));
        long swapped = m.swapOut(500);
        assertEquals(500, swapped);
        for (long p = m.workingSetStart(); p < m.workingSetStart() + m.workingSetPages(); p++) {
            assertFalse(m.locationOf(p) == PageLocation.SWAPPED, "working-set page " + p + " swapped before cold ones");
        }
        assertEquals(500, m.swapIn(1000));
        assertEquals("", m.audit());
        Map<String, Long> resident = m.residentByContent();
        assertEquals(m.residentPages(), resident.values().stream().mapToLong(Long::longValue).sum());
    }

    @Test
    void fullChunksShareOneBitmapYetEachGuestKeepsItsOwnState() {
        SharingTable t = new SharingTable();
        GuestMemory a = memory("custom:ws=100000", "deb");
        GuestMemory b = memory("custom:ws=100000", "deb");
        a.writeWorkingSet(0, PAGES, t);
        b.writeWorkingSet(0, PAGES, t);
        assertTrue(a.quiet());
        assertEquals(PAGES, a.writtenPages());
        // the balloon gives pages back with their boot content: only a's bitmap may change
        a.balloonInflate(PAGES, t);
        a.balloonDeflate(PAGES);
        assertEquals(0, a.writtenPages());
        assertEquals(PAGES, b.writtenPages());
        for (long p = 0; p < PAGES; p += 997) {
            assertFalse(a.isWritten(p));
            assertTrue(b.isWritten(p));
        }
        assertEquals("", a.audit());
        assertEquals("", b.audit());
        assertEquals(PAGES, b.collectDirty());
        assertFalse(b.quiet());
        assertEquals("", b.audit());
    }

    @Test
    void writingASwappedPageFaultsItIn() {
        SharingTable t = new SharingTable();
        GuestMemory m = memory("custom:ws=100000", "deb");
        m.swapOut(PAGES);
        assertEquals(PAGES, m.pagesIn(PageLocation.SWAPPED));
        m.writeWorkingSet(0, 64, t);
        assertEquals(64, m.swapFaults());
        assertEquals(64, m.pagesIn(PageLocation.PRIVATE));
        assertEquals("", m.audit());
    }

    @Test
    void aWriteToASharedPageUnsharesExactlyThatPageOfThatGuest() {
        SharingTable t = new SharingTable();
        GuestMemory a = memory("desktop", "deb");
        GuestMemory b = memory("desktop", "deb");
        a.shareScan(PAGES, t);
        b.shareScan(PAGES, t);
        long page = 5; // an OS-image page below the working set
        assertEquals(ContentClass.IMAGE, a.contentOf(page));
        assertTrue(page < a.workingSetStart());
        assertEquals(PageLocation.SHARED, a.locationOf(page));
        long refs = t.references();
        long frames = t.frames();
        long aShared = a.pagesIn(PageLocation.SHARED);
        long bShared = b.pagesIn(PageLocation.SHARED);
        long aDigest = a.contentDigest();
        long bDigest = b.contentDigest();

        assertEquals(1, a.guestWrite(page, 1, t));

        assertEquals(PageLocation.PRIVATE, a.locationOf(page));
        assertTrue(a.isWritten(page) && a.isDirty(page));
        assertEquals(1, a.copyOnWriteBreaks());
        assertEquals(aShared - 1, a.pagesIn(PageLocation.SHARED));
        assertEquals(PageLocation.SHARED, a.locationOf(page - 1));
        assertEquals(PageLocation.SHARED, a.locationOf(page + 1));
        assertEquals(bShared, b.pagesIn(PageLocation.SHARED), "the other guest keeps every mapping");
        assertEquals(PageLocation.SHARED, b.locationOf(page));
        assertEquals(refs - 1, t.references());
        assertEquals(frames, t.frames(), "b still maps the frame");
        assertEquals(bDigest, b.contentDigest());
        assertFalse(aDigest == a.contentDigest(), "the written page holds new content");
        assertEquals("", a.audit());
        assertEquals("", b.audit());

        // the last sharer's write frees the frame
        b.guestWrite(page, 1, t);
        assertEquals(frames - 1, t.frames());
        assertEquals(refs - 2, t.references());
    }

    @Test
    void movingPagesBetweenLocationsNeverChangesTheirContent() {
        SharingTable t = new SharingTable();
        GuestMemory m = memory("web", "deb");
        m.writeWorkingSet(0, m.workingSetPages() / 2, t);
        long digest = m.contentDigest();
        long[] byContent = new long[ContentClass.values().length];
        for (ContentClass c : ContentClass.values()) {
            for (PageLocation l : PageLocation.values()) {
                byContent[c.ordinal()] += m.pages(c, l);
            }
        }
        m.shareScan(PAGES, t);
        m.swapOut(PAGES / 3);
        m.balloonInflate(500, t);
        assertEquals(digest, m.contentDigest());
        for (ContentClass c : ContentClass.values()) {
            long sum = 0;
            for (PageLocation l : PageLocation.values()) {
                sum += m.pages(c, l);
            }
            assertEquals(byContent[c.ordinal()], sum, c + " pages conserved");
        }
        m.swapIn(PAGES);
        m.release(t);
        assertEquals(digest, m.contentDigest());
        assertEquals(0, t.references());
        assertEquals("", m.audit());
    }

    @Test
    void aQuietWorkingSetStaysQuietWhilePagesOutsideItAreSharedButNotWhenOneInsideIsSwapped() {
        SharingTable t = new SharingTable();
        GuestMemory m = memory("custom:ws=20,zero=0.5,image=0.3", "deb");
        m.writeWorkingSet(0, m.workingSetPages(), t);
        assertTrue(m.quiet());
        assertTrue(m.shareScan(PAGES, t) > 0);
        assertTrue(m.quiet(), "shared pages outside the working set do not wake the writer");
        m.swapOut(PAGES);
        assertFalse(m.quiet(), "a swapped working-set page must be faulted back by the next write");
        m.writeWorkingSet(0, m.workingSetPages(), t);
        assertTrue(m.swapFaults() > 0);
        assertTrue(m.quiet());
        m.guestWrite(PAGES - 1, 1, t);
        assertTrue(m.quiet(), "a write outside the working set does not make it look unwritten");
        assertEquals("", m.audit());
    }

    @Test
    void sharingScansInSlicesResumesWhereItStoppedAndMatchesAWholePass() {
        SharingTable sliced = new SharingTable();
        SharingTable whole = new SharingTable();
        GuestMemory a = memory("desktop", "deb");
        GuestMemory b = memory("desktop", "deb");
        a.writeWorkingSet(0, 1000, sliced);
        b.writeWorkingSet(0, 1000, whole);
        long merged = 0;
        for (int i = 0; i < 100; i++) {
            merged += a.shareScan(137, sliced);
        }
        merged += a.shareScan(PAGES, sliced);
        assertEquals(b.shareScan(PAGES, whole), merged);
        assertEquals(whole.references(), sliced.references());
        assertEquals(whole.frames(), sliced.frames());
        for (PageLocation l : PageLocation.values()) {
            assertEquals(b.pagesIn(l), a.pagesIn(l), l.name());
        }
        assertEquals("", a.audit());
    }
}
