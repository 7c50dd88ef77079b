package org.vireo.hypervisor.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** KSM driven through a fake {@code /sys/kernel/mm/ksm}. */
class KsmControlTest {
    @TempDir
    Path dir;

    private Path ksm;
    private Path saved;

    @BeforeEach
    void kernel() throws IOException {
        ksm = dir.resolve("ksm");
        Files.createDirectories(ksm);
        write("run", "0");
        write("pages_to_scan", "100");
        write("sleep_millisecs", "20");
        saved = dir.resolve("index/.ksm-found.properties");
    }

    private void write(String file, String value) throws IOException {
        Files.writeString(ksm.resolve(file), value + "\n");
    }

    private String read(String file) throws IOException {
        return Files.readString(ksm.resolve(file)).trim();
    }

    @Test
    void runsWhileAHostAsksAtThePaceOfTheSummedBudgetsAndRestoresWhatItFound() throws IOException {
        KsmControl k = new KsmControl(ksm, saved);

        k.request("h1", 16_384); // pages per second
        k.request("h2", 1_000);
        k.apply();

        assertEquals("1", read("run"));
        assertEquals(String.valueOf((long) Math.ceil(17_384 * 20 / 1000.0)), read("pages_to_scan"), "per 20 ms wake-up");
        assertEquals("20", read("sleep_millisecs"), "left as found");
        assertTrue(Files.exists(saved), "what was found is on disk while KSM runs");
        assertTrue(k.describe().contains("KSM: on"), k.describe());

        k.release("h2");
        k.apply();
        assertEquals("328", read("pages_to_scan"));

        k.request("h1", 0);
        k.apply();

        assertEquals("0", read("run"));
        assertEquals("100", read("pages_to_scan"));
        assertFalse(Files.exists(saved));
        assertTrue(k.describe().contains("not used"), k.describe());
    }

    @Test
    void nothingIsTouchedWhileNoHostAsks() throws IOException {
        write("run", "1");
        KsmControl k = new KsmControl(ksm, saved);

        k.apply();
        k.restore();

        assertEquals("1", read("run"), "someone else's KSM is left alone");
        assertFalse(Files.exists(saved));
    }

    @Test
    void aRuntimeKilledWhileKsmRanLeavesTheSettingsItFoundForTheNextOne() throws IOException {
        KsmControl first = new KsmControl(ksm, saved);
        first.request("h1", 5_000);
        first.apply();
        // killed here: nothing restored

        KsmControl next = new KsmControl(ksm, saved);
        next.apply();

        assertEquals("0", read("run"), "the next runtime restores what the first found, not what it finds");
        assertEquals("100", read("pages_to_scan"));
        assertFalse(Files.exists(saved));
    }

    @Test
    void aMachineWithoutKsmIgnoresRequests() {
        KsmControl k = new KsmControl(dir.resolve("none"), saved);

        k.request("h1", 1000);
        k.apply();

        assertFalse(k.available());
        assertFalse(Files.exists(saved));
        assertTrue(k.describe().contains("not available"), k.describe());
    }
}
