package org.vireo.hypervisor.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vireo.api.hypervisor.HypervisorEvent;
import org.vireo.hypervisor.qemu.cgroup.CgroupTree;
import org.vireo.hypervisor.qemu.cgroup.VmCgroup;

/** Hypervisor swap carried out on a fake cgroup tree and a fake {@code /proc}. */
class HostSwapTest {
    private static final long MIB = 1024L * 1024L;
    private static final long CEILING = (1024 + 256) * MIB;
    private static final String HEADER = "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n";

    @TempDir
    Path root;

    private EventLog events;
    private VmCgroup group;

    private void file(String path, String text) throws IOException {
        Path p = root.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    private String read(String path) throws IOException {
        return Files.readString(root.resolve(path)).trim();
    }

    /** A v1 machine like this one, the VM's group with its hard limit, and a host swap of {@code swapMiB}. */
    private HostSwap v1(long swapMiB) throws IOException {
        file("proc/self/mountinfo", "32 31 0:29 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu\n"
                + "33 31 0:30 / /sys/fs/cgroup/cpuacct rw - cgroup cgroup rw,cpuacct\n"
                + "35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n");
        file("proc/self/cgroup", "4:memory:/\n2:cpuacct:/\n1:cpu:/\n");
        swap(swapMiB, 0);
        CgroupTree tree = CgroupTree.detect(root, "");
        tree.prepareHost("h1");
        group = tree.vm("h1", "a");
        group.limitMemory(CEILING);
        events = new EventLog("h1", () -> 0);
        return new HostSwap(new ProcFs(root.resolve("proc"), root.resolve("sys")), events, tree.version(), "", 256);
    }

    private void swap(long totalMiB, long usedMiB) throws IOException {
        file("proc/swaps", HEADER + (totalMiB == 0 ? "" : "/swapfile file " + totalMiB * 1024 + " " + usedMiB * 1024 + " -2\n"));
    }

    private HostSwap.Vm vm(long residentMiB, long swappedMiB) {
        return new HostSwap.Vm("a", group, CEILING, SwapControl.floorBytes(1024, 0, 256), residentMiB * MIB, swappedMiB * MIB);
    }

    private List<String> messages() {
        return events.since(0).stream().map(HypervisorEvent::message).toList();
    }

    private static final String LIMIT = "sys/fs/cgroup/memory/vireo/h1/a/memory.limit_in_bytes";

    @Test
    void aSwapOutLowersTheLimitAndSaysSoWithTheFiguresReadBack() throws IOException {
        HostSwap swap = v1(2048);

        swap.interval(List.of(vm(900, 0)), Map.of("a", 100 * 256L));

        assertEquals(String.valueOf(800 * MIB), read(LIMIT));
        assertEquals(OptionalLong.of(800 * MIB), swap.loweredBytes("a"));
        assertEquals(List.of("swap: limit of VM a lowered to 800 MiB (100 MiB asked), host swap free 2048 MiB (memory.limit_in_bytes)"),
                messages());
        assertTrue(swap.describe().contains("swap: 2048 MiB free of 2048 MiB, hypervisor swap through memory.limit_in_bytes, 1 VM"),
                swap.describe());

        swap(2048, 100);
        swap.interval(List.of(vm(700, 100)), Map.of("a", -2000 * 256L));

        assertEquals(String.valueOf(CEILING), read(LIMIT), "swapped in: back to the guest's memory plus the overhead");
        assertEquals(OptionalLong.empty(), swap.loweredBytes("a"));
        assertEquals("swap: limit of VM a restored to 1280 MiB (its memory plus QEMU's overhead; 2000 MiB asked back),"
                + " host swap free 1948 MiB", messages().get(1));
    }

    @Test
    void withoutSwapTheOperationIsReportedOnceAndTheLimitStays() throws IOException {
        HostSwap swap = v1(0);

        swap.interval(List.of(vm(900, 0)), Map.of("a", 256L));
        swap.interval(List.of(vm(900, 0)), Map.of("a", 512L));

        assertEquals(String.valueOf(CEILING), read(LIMIT));
        assertEquals(1, messages().size(), messages().toString());
        assertTrue(messages().get(0).startsWith("the qemu hypervisor does not carry out SWAP_OUT of 256 pages: the host has no swap"
                + " space (/proc/swaps lists none)"), messages().get(0));
        assertEquals("swap: none on the machine, hypervisor swap not carried out", swap.describe());
    }

    @Test
    void swapGoingAwayLiftsALoweredLimit() throws IOException {
        HostSwap swap = v1(2048);
        swap.interval(List.of(vm(900, 0)), Map.of("a", 100 * 256L));

        swap(0, 0); // swapoff
        swap.interval(List.of(vm(800, 0)), Map.of());

        assertEquals(String.valueOf(CEILING), read(LIMIT));
        assertTrue(messages().get(1).startsWith("swap: limit of VM a restored to 1280 MiB") && messages().get(1).contains("no swap"),
                messages().get(1));
    }

    @Test
    void aDetachedHostLiftsEveryLimitItLowered() throws IOException {
        HostSwap swap = v1(2048);
        swap.interval(List.of(vm(900, 0)), Map.of("a", 100 * 256L));

        swap.restoreAll();

        assertEquals(String.valueOf(CEILING), read(LIMIT));
        assertTrue(messages().get(1).contains("the host is detached"), messages().toString());
        assertEquals(OptionalLong.empty(), swap.loweredBytes("a"));
    }

    @Test
    void aStoppedVmWhoseGroupStaysHasItsLimitLifted() throws IOException {
        HostSwap swap = v1(2048);
        swap.interval(List.of(vm(900, 0)), Map.of("a", 100 * 256L));

        swap.forget("a", false);

        assertEquals(String.valueOf(CEILING), read(LIMIT), "a later start finds nothing lowered");
        assertEquals(OptionalLong.empty(), swap.loweredBytes("a"));
    }

    @Test
    void aGroupThatCannotSwapIsReportedWithTheReason() throws IOException {
        HostSwap swap = v1(2048);
        file("sys/fs/cgroup/memory/vireo/h1/a/memory.swappiness", "0\n");

        swap.interval(List.of(vm(900, 0)), Map.of("a", 256L));

        assertEquals(String.valueOf(CEILING), read(LIMIT));
        assertTrue(messages().get(0).contains("memory.swappiness is 0"), messages().toString());
    }

    @Test
    void aVmOutsideCgroupsIsNotSwapped() throws IOException {
        HostSwap swap = v1(2048);

        swap.interval(List.of(new HostSwap.Vm("a", null, -1, 0, 900 * MIB, 0)), Map.of("a", 256L));

        assertTrue(messages().get(0).contains("runs outside cgroups"), messages().toString());
    }

    @Test
    void nothingIsReadOrWrittenWhileNoVmSwaps() throws IOException {
        HostSwap swap = v1(2048);

        assertTrue(swap.interval(List.of(vm(900, 0)), Map.of()).isEmpty());
        assertEquals(List.of(), messages());
    }
}
