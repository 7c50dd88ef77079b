package org.vireo.hypervisor.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleWatcherTest {
    @TempDir
    Path dir;

    private void append(Path file, String text) throws Exception {
        Files.writeString(file, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Test
    void parsesAHeartbeatLine() {
        Heartbeat h = Heartbeat.parse("HB t=12 iters=123456789 rate=35.7M dirtyMiB=240 memTotalKiB=479612 memFreeKiB=401234"
                + " memAvailKiB=420000").orElseThrow();

        assertEquals(new Heartbeat(12, 123456789, 35.7, 240, 479612, 401234, 420000), h);
        assertTrue(Heartbeat.parse("HB t=1 iters=").isEmpty());
        assertTrue(Heartbeat.parse("[    0.1] HB t=1").isEmpty());
    }

    @Test
    void seesTheBannerAndTheLatestHeartbeatAsTheConsoleGrows() throws Exception {
        Path log = dir.resolve("console.log");
        ConsoleWatcher w = new ConsoleWatcher(log);
        w.poll(); // no file yet
        assertFalse(w.bannerSeen());

        append(log, "[    4.5] Run /init as init process\r\nVIREO-GUEST READY kernel=6.1 cpus=1 memTot");
        w.poll();
        assertFalse(w.bannerSeen(), "half a line is not the banner yet");

        append(log, "alKiB=468416 workload=burn\nHB t=1 iters=10 rate=1.0M dirtyMiB=0 memTotalKiB=468416 memFreeKiB=1 memAvailKiB=2\n");
        w.poll();
        assertTrue(w.bannerSeen());
        assertEquals("VIREO-GUEST READY kernel=6.1 cpus=1 memTotalKiB=468416 workload=burn", w.bannerLine());
        assertEquals(1, w.heartbeat().orElseThrow().seconds());

        append(log, "HB t=2 iters=20 rate=1.0M dirtyMiB=0 memTotalKiB=206272 memFreeKiB=1 memAvailKiB=2\n");
        w.poll();
        assertEquals(206272, w.heartbeat().orElseThrow().memTotalKiB());
        assertEquals("HB t=2 iters=20 rate=1.0M dirtyMiB=0 memTotalKiB=206272 memFreeKiB=1 memAvailKiB=2", w.lastLine());
    }

    @Test
    void aReplacedLogIsReadFromItsStart() throws Exception {
        Path log = dir.resolve("console.log");
        ConsoleWatcher w = new ConsoleWatcher(log);
        append(log, "a long first run of the guest, with many lines\nmore\n");
        w.poll();

        Files.writeString(log, "second\n");
        w.poll();

        assertEquals("second", w.lastLine());
    }
}
