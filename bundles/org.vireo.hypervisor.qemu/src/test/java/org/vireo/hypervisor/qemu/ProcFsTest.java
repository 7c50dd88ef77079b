package org.vireo.hypervisor.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcFsTest {
    @TempDir
    Path root;

    private ProcFs fake() throws Exception {
        Path p = root.resolve("proc/42");
        Files.createDirectories(p.resolve("task/42"));
        Files.createDirectories(p.resolve("task/43"));
        // a comm with spaces and parentheses, as "-name" with debug threads can produce
        Files.writeString(p.resolve("stat"), "42 (qemu (vm) x) S 1 42 42 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 4 0 123456 "
                + "1000000 2000 18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 0 17 1 0 0 0 0 0\n");
        Files.writeString(p.resolve("status"), "Name:\tqemu\nVmRSS:\t  524288 kB\nVmSwap:\t       0 kB\n");
        Files.writeString(p.resolve("task/42/schedstat"), "1000 2500000 10\n");
        Files.writeString(p.resolve("task/43/schedstat"), "1000 500000 10\n");
        Files.writeString(p.resolve("task/43/comm"), "CPU 0/TCG\n");
        Files.writeString(p.resolve("io"), "rchar: 10\nwchar: 20\nread_bytes: 4096\nwrite_bytes: 8192\n");
        Files.writeString(p.resolve("ksm_merging_pages"), "1234\n");
        Files.writeString(p.resolve("cmdline"), "qemu-system-x86_64\0-qmp\0unix:/d/qmp.sock,server=on\0");
        Files.writeString(root.resolve("proc/meminfo"), "MemTotal: 24000000 kB\nMemAvailable:   2000000 kB\n");
        Files.createDirectories(root.resolve("sys/kernel/mm/ksm"));
        Files.writeString(root.resolve("sys/kernel/mm/ksm/pages_sharing"), "777\n");
        return new ProcFs(root.resolve("proc"), root.resolve("sys"));
    }

    @Test
    void readsCpuTimeAndStartTimeEvenWhenTheCommandNameHasSpacesAndParentheses() throws Exception {
        ProcFs.Stat stat = fake().stat(42).orElseThrow();

        assertEquals('S', stat.state());
        assertEquals(300, stat.cpuTicks());
        assertEquals(123456, stat.startTicks());
    }

    @Test
    void readsMemoryThreadsSchedulingAndIo() throws Exception {
        ProcFs proc = fake();

        assertEquals(524288, proc.statusKiB(42, "VmRSS"));
        assertEquals(0, proc.statusKiB(42, "VmSwap"));
        assertEquals(List.of(42L, 43L), proc.threads(42).stream().sorted().toList());
        assertEquals("CPU 0/TCG", proc.threadName(42, 43));
        assertEquals(2500000, proc.runDelayNanos(42, 42));
        assertEquals(4096, proc.ioBytes(42, "read_bytes"));
        assertEquals(8192, proc.ioBytes(42, "write_bytes"));
        assertEquals(1234, proc.ksmMergingPages(42));
        assertTrue(proc.cmdline(42).contains("unix:/d/qmp.sock"));
        assertEquals(2000000, proc.memAvailableKiB());
        assertEquals(777, proc.ksmPagesSharing());
    }

    @Test
    void swapSpaceAddsUpEveryAreaOfProcSwaps() throws Exception {
        ProcFs proc = fake();
        Files.writeString(root.resolve("proc/swaps"), "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n"
                + "/dev/vda2                               partition\t2097148\t\t1024\t\t-2\n"
                + "/var/lib/swap\\040file                    file\t\t1048576\t\t0\t\t-3\n");
        Files.createDirectories(root.resolve("proc/sys/vm"));
        Files.writeString(root.resolve("proc/sys/vm/swappiness"), "60\n");

        ProcFs.SwapSpace swap = proc.swapSpace().orElseThrow();

        assertEquals(new ProcFs.SwapSpace(2, 3145724, 1024), swap);
        assertEquals(3144700, swap.freeKiB());
        assertEquals(60, proc.swappiness());
    }

    @Test
    void aMachineWithoutSwapListsOnlyTheHeader() throws Exception {
        ProcFs proc = fake();
        Files.writeString(root.resolve("proc/swaps"), "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n");

        assertEquals(ProcFs.SwapSpace.NONE, proc.swapSpace().orElseThrow());
        assertEquals(-1, proc.swappiness(), "unreadable");
        assertTrue(new ProcFs(root.resolve("nowhere"), root.resolve("sys")).swapSpace().isEmpty(), "no /proc/swaps: unknown");
    }

    @Test
    void aProcessThatIsGoneReadsAsEmpty() throws Exception {
        ProcFs proc = fake();

        assertTrue(proc.stat(99).isEmpty());
        assertEquals(-1, proc.statusKiB(99, "VmRSS"));
        assertEquals(List.of(), proc.threads(99));
        assertEquals(0, proc.ksmMergingPages(99));
    }

    @Test
    void theRealProcOfThisJvmIsReadable() {
        ProcFs.Stat stat = ProcFs.system().stat(ProcessHandle.current().pid()).orElseThrow();

        assertTrue(stat.startTicks() > 0);
        assertTrue(ProcFs.system().statusKiB(ProcessHandle.current().pid(), "VmRSS") > 0);
        assertTrue(ProcFs.system().swapSpace().isPresent(), "/proc/swaps is readable, even where it lists no area");
    }
}
