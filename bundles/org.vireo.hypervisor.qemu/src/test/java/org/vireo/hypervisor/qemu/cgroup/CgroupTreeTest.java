package org.vireo.hypervisor.qemu.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vireo.api.hypervisor.HypervisorException;
import org.vireo.api.model.InvalidSpecException;
import org.vireo.cgroups.CgroupCpuSettings;

/** The cgroup layer against fake trees laid out as the kernel lays them out. */
class CgroupTreeTest {
    @TempDir
    Path root;

    /** This machine's layout: v1, one mount per controller, the runtime in a memory cgroup of its own. */
    private static final String V1_APART = String.join("\n",
            "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755",
            "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu",
            "33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct",
            "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory",
            "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw", "");
    private static final String V1_APART_SELF = "4:memory:/process_api/abc\n2:cpuacct:/\n1:cpu:/\n0::/\n";

    private void file(String path, String text) throws IOException {
        Path p = root.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    private String read(String path) throws IOException {
        return Files.readString(root.resolve(path)).trim();
    }

    private boolean exists(String path) {
        return Files.exists(root.resolve(path));
    }

    @Test
    void v1WithControllersMountedApartPutsEachVmBelowTheRuntimesOwnCgroups() throws IOException {
        file("proc/self/mountinfo", V1_APART);
        file("proc/self/cgroup", V1_APART_SELF);
        file("sys/fs/cgroup/unified/cgroup.controllers", "hugetlb\n");

        CgroupTree tree = CgroupTree.detect(root, "");
        tree.prepareHost("h1");
        VmCgroup vm = tree.vm("h1", "web1");

        assertEquals(CgroupTree.Version.V1, tree.version(), "a v1 cpu hierarchy wins over an empty cgroup2 mount");
        assertTrue(tree.hasMemory());
        assertEquals(root.resolve("sys/fs/cgroup/cpu/vireo/h1"), tree.hostDirectory("h1"));
        assertEquals(List.of(root.resolve("sys/fs/cgroup/cpu/vireo/h1/web1"), root.resolve("sys/fs/cgroup/cpuacct/vireo/h1/web1"),
                root.resolve("sys/fs/cgroup/memory/process_api/abc/vireo/h1/web1")), vm.directories());

        vm.limitMemory(768L << 20);
        vm.place(4242);
        vm.applyCpu(new CgroupCpuSettings("web1", 100_000, 50_000, 2048, 79));

        for (String c : new String[] {"cpu", "cpuacct", "memory/process_api/abc"}) {
            assertEquals("4242", read("sys/fs/cgroup/" + c + "/vireo/h1/web1/cgroup.procs"), "the whole process goes in: " + c);
        }
        assertEquals("100000", read("sys/fs/cgroup/cpu/vireo/h1/web1/cpu.cfs_period_us"));
        assertEquals("50000", read("sys/fs/cgroup/cpu/vireo/h1/web1/cpu.cfs_quota_us"));
        assertEquals("2048", read("sys/fs/cgroup/cpu/vireo/h1/web1/cpu.shares"));
        assertEquals(String.valueOf(768L << 20), read("sys/fs/cgroup/memory/process_api/abc/vireo/h1/web1/memory.limit_in_bytes"));
        assertEquals(Optional.of(768L << 20), vm.memoryLimit());

        file("sys/fs/cgroup/cpuacct/vireo/h1/web1/cpuacct.usage", "1234567890\n");
        file("sys/fs/cgroup/cpu/vireo/h1/web1/cpu.stat",
                "nr_periods 40\nnr_throttled 20\nthrottled_time 987654321\nnr_bursts 0\nburst_time 0\n");
        assertEquals(Optional.of(1_234_567_890L), vm.usageNanos());
        assertEquals(new VmCgroup.Throttling(40, 20, 987_654_321), vm.throttling());

        assertTrue(vm.remove());
        tree.removeHost("h1");

        assertFalse(exists("sys/fs/cgroup/cpu/vireo"), "host and vireo groups go once empty");
        assertFalse(exists("sys/fs/cgroup/memory/process_api/abc/vireo"));
        assertTrue(exists("sys/fs/cgroup/memory/process_api/abc"), "the runtime's own cgroup stays");
    }

    @Test
    void v1WithCpuAndCpuacctMountedTogetherWritesTheProcessOnceThere() throws IOException {
        file("proc/self/mountinfo", "32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct\n"
                + "35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n");
        file("proc/self/cgroup", "3:cpu,cpuacct:/user.slice\n2:memory:/user.slice\n");

        CgroupTree tree = CgroupTree.detect(root, "");
        tree.prepareHost("h1");
        VmCgroup vm = tree.vm("h1", "a");
        vm.place(7);

        assertEquals(List.of(root.resolve("sys/fs/cgroup/cpu,cpuacct/user.slice/vireo/h1/a"),
                root.resolve("sys/fs/cgroup/memory/user.slice/vireo/h1/a")), vm.directories());
        assertEquals("7", read("sys/fs/cgroup/cpu,cpuacct/user.slice/vireo/h1/a/cgroup.procs"));
        file("sys/fs/cgroup/cpu,cpuacct/user.slice/vireo/h1/a/cpuacct.usage", "42");
        assertEquals(Optional.of(42L), vm.usageNanos());
    }

    @Test
    void v2EnablesTheControllersDownToTheHostAndWritesCpuMaxAndWeight() throws IOException {
        file("proc/self/mountinfo", "30 23 0:26 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n");
        file("proc/self/cgroup", "0::/\n");
        // the kernel gives every new group these files; the fake tree has them ready
        for (String d : new String[] {"", "vireo/", "vireo/h1/"}) {
            file("sys/fs/cgroup/" + d + "cgroup.controllers", "cpuset cpu io memory pids\n");
            file("sys/fs/cgroup/" + d + "cgroup.subtree_control", d.isEmpty() ? "memory\n" : "");
        }

        CgroupTree tree = CgroupTree.detect(root, "");
        tree.prepareHost("h1");
        VmCgroup vm = tree.vm("h1", "db");
        vm.place(99);
        vm.applyCpu(new CgroupCpuSettings("db", 100_000, CgroupCpuSettings.NO_QUOTA, 1024, 39));
        vm.limitMemory(1L << 30);

        assertEquals(CgroupTree.Version.V2, tree.version());
        assertEquals("+cpu", read("sys/fs/cgroup/cgroup.subtree_control"), "memory was already enabled at the root");
        assertEquals("+cpu +memory", read("sys/fs/cgroup/vireo/cgroup.subtree_control"));
        assertEquals("+cpu +memory", read("sys/fs/cgroup/vireo/h1/cgroup.subtree_control"));
        assertEquals("99", read("sys/fs/cgroup/vireo/h1/db/cgroup.procs"));
        assertEquals("max 100000", read("sys/fs/cgroup/vireo/h1/db/cpu.max"));
        assertEquals("39", read("sys/fs/cgroup/vireo/h1/db/cpu.weight"));
        assertEquals(String.valueOf(1L << 30), read("sys/fs/cgroup/vireo/h1/db/memory.max"));

        file("sys/fs/cgroup/vireo/h1/db/cpu.stat", "usage_usec 2500\nuser_usec 2000\nsystem_usec 500\n"
                + "nr_periods 10\nnr_throttled 3\nthrottled_usec 700\n");
        assertEquals(Optional.of(2_500_000L), vm.usageNanos());
        assertEquals(new VmCgroup.Throttling(10, 3, 700_000), vm.throttling());
    }

    @Test
    void v1SwapLowersMemoryLimitInBytesAndLiftsItBackToTheHardLimit() throws IOException {
        file("proc/self/mountinfo", V1_APART);
        file("proc/self/cgroup", V1_APART_SELF);
        CgroupTree tree = CgroupTree.detect(root, "");
        tree.prepareHost("h1");
        VmCgroup vm = tree.vm("h1", "web1");
        String dir = "sys/fs/cgroup/memory/process_api/abc/vireo/h1/web1/";
        vm.limitMemory(768L << 20);

        vm.limitSwap(500L << 20);

        assertEquals(String.valueOf(500L << 20), read(dir + "memory.limit_in_bytes"), "v1 has one limit: it is lowered");
        assertEquals(OptionalLong.of(500L << 20), vm.swapLimit());
        assertEquals(Long.MAX_VALUE, vm.swapRoomBytes(), "v1 has no swap limit of its own");

        vm.clearSwapLimit(768L << 20);

        assertEquals(String.valueOf(768L << 20), read(dir + "memory.limit_in_bytes"));
        assertEquals(Optional.of(768L << 20), vm.memoryLimit());
    }

    @Test
    void v1SwapIsBlockedBySwappinessZeroAndByAMemswLimitBelowTheHardLimit() throws IOException {
        file("proc/self/mountinfo", V1_APART);
        file("proc/self/cgroup", V1_APART_SELF);
        CgroupTree tree = CgroupTree.detect(root, "");
        tree.prepareHost("h1");
        VmCgroup vm = tree.vm("h1", "web1");
        String dir = "sys/fs/cgroup/memory/process_api/abc/vireo/h1/web1/";
        file(dir + "memory.swappiness", "60\n");
        file(dir + "memory.memsw.limit_in_bytes", "9223372036854771712\n"); // the kernel's "unlimited"

        assertEquals(Optional.empty(), vm.swapBlocker(768L << 20), "a memsw limit at or above the hard limit blocks nothing");

        file(dir + "memory.memsw.limit_in_bytes", String.valueOf(600L << 20));
        assertTrue(vm.swapBlocker(768L << 20).orElseThrow().contains("memory.memsw.limit_in_bytes is 600 MiB"));

        file(dir + "memory.swappiness", "0\n");
        assertTrue(vm.swapBlocker(768L << 20).orElseThrow().contains("memory.swappiness is 0"));
    }

    @Test
    void v2SwapLowersMemoryHighLeavesMemoryMaxAndCountsTheParentsSwapLimits() throws IOException {
        file("proc/self/mountinfo", "30 23 0:26 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n");
        file("proc/self/cgroup", "0::/\n");
        for (String d : new String[] {"", "vireo/", "vireo/h1/"}) {
            file("sys/fs/cgroup/" + d + "cgroup.controllers", "cpu memory\n");
            file("sys/fs/cgroup/" + d + "cgroup.subtree_control", "");
        }
        CgroupTree tree = CgroupTree.detect(root, "");
        tree.prepareHost("h1");
        VmCgroup vm = tree.vm("h1", "db");
        String dir = "sys/fs/cgroup/vireo/h1/db/";
        file(dir + "memory.high", String.valueOf(100L << 20)); // left by an earlier run

        vm.limitMemory(768L << 20);

        assertEquals("max", read(dir + "memory.high"), "set afresh: no swap limit left behind");
        assertEquals(OptionalLong.of(Long.MAX_VALUE), vm.swapLimit());

        vm.limitSwap(500L << 20);

        assertEquals(String.valueOf(500L << 20), read(dir + "memory.high"));
        assertEquals(String.valueOf(768L << 20), read(dir + "memory.max"), "the hard limit stays");
        assertEquals(Optional.of(768L << 20), vm.memoryLimit());
        assertEquals(OptionalLong.of(500L << 20), vm.swapLimit());
        assertEquals(Optional.empty(), vm.swapBlocker(768L << 20));

        assertEquals(Long.MAX_VALUE, vm.swapRoomBytes(), "no swap accounting files: nothing limits the group's swap");
        file(dir + "memory.swap.max", "max\n");
        file(dir + "memory.swap.current", "0\n");
        file("sys/fs/cgroup/vireo/h1/memory.swap.max", String.valueOf(1L << 30));
        file("sys/fs/cgroup/vireo/h1/memory.swap.current", String.valueOf(200L << 20));
        file("sys/fs/cgroup/memory.swap.max", "0\n"); // the root has no such file; one there is not counted
        assertEquals(824L << 20, vm.swapRoomBytes(), "the host's group allows 1 GiB and 200 MiB are used");

        vm.clearSwapLimit(768L << 20);

        assertEquals("max", read(dir + "memory.high"));
    }

    @Test
    void aGroupWithoutMemoryControllerCannotBeSwapped() throws IOException {
        file("proc/self/mountinfo", "32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct\n");
        file("proc/self/cgroup", "3:cpu,cpuacct:/\n");
        CgroupTree tree = CgroupTree.detect(root, "");
        tree.prepareHost("h1");
        VmCgroup vm = tree.vm("h1", "a");

        HypervisorException e = assertThrows(HypervisorException.class, () -> vm.limitSwap(1L << 20));

        assertTrue(e.getMessage().contains("VM a on host h1 has no memory controller"), e.getMessage());
        assertEquals(OptionalLong.empty(), vm.swapLimit());
        assertTrue(vm.swapBlocker(1L << 30).isPresent());
    }

    @Test
    void v2WithoutTheCpuControllerDelegatedSaysWhereAndWhatToDo() throws IOException {
        file("proc/self/mountinfo", "30 23 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n");
        file("proc/self/cgroup", "0::/user.slice/session-1.scope\n");
        file("sys/fs/cgroup/cgroup.controllers", "cpu memory\n");
        file("sys/fs/cgroup/user.slice/session-1.scope/cgroup.controllers", "memory pids\n");

        CgroupTree tree = CgroupTree.detect(root, "");
        HypervisorException e = assertThrows(HypervisorException.class, () -> tree.prepareHost("h1"));

        assertTrue(e.getMessage().contains("user.slice/session-1.scope") && e.getMessage().contains("cgroupParent"), e.getMessage());
    }

    @Test
    void aConfiguredParentAndAMountRootAreHonoured() throws IOException {
        file("proc/self/mountinfo", "32 31 0:29 /docker/c1 /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu\n"
                + "33 31 0:30 /docker/c1 /sys/fs/cgroup/cpu\\040acct rw - cgroup cgroup rw,cpuacct\n");
        file("proc/self/cgroup", "2:cpuacct:/docker/c1\n1:cpu:/docker/c1/app\n");

        CgroupTree own = CgroupTree.detect(root, "");
        CgroupTree configured = CgroupTree.detect(root, "/machine/vireo");

        assertEquals(List.of(root.resolve("sys/fs/cgroup/cpu/app/vireo/h/v"), root.resolve("sys/fs/cgroup/cpu acct/vireo/h/v")),
                own.vm("h", "v").directories(), "paths are taken from the mount's root; \\040 is a space");
        assertFalse(own.hasMemory());
        assertEquals(List.of(root.resolve("sys/fs/cgroup/cpu/machine/vireo/h/v"), root.resolve("sys/fs/cgroup/cpu acct/machine/vireo/h/v")),
                configured.vm("h", "v").directories());
        assertFalse(configured.vm("h", "v").limitMemory(1L << 30), "no memory controller: no limit");
        InvalidSpecException bad = assertThrows(InvalidSpecException.class, () -> CgroupTree.detect(root, "machine"));
        assertTrue(bad.getMessage().contains("cgroupParent"), bad.getMessage());
    }

    @Test
    void placingAProcessRemovesTheEmptyGroupAnEarlierRuntimeLeftForTheSameVm() throws IOException {
        file("proc/self/mountinfo", V1_APART);
        file("proc/self/cgroup", V1_APART_SELF);
        file("proc/4242/cgroup", "4:memory:/process_api/old/vireo/h1/web1\n2:cpuacct:/vireo/h1/web1\n1:cpu:/vireo/h1/web1\n");
        file("sys/fs/cgroup/memory/process_api/old/vireo/h1/web1/memory.limit_in_bytes", "1");

        CgroupTree tree = CgroupTree.detect(root, "");
        tree.prepareHost("h1");
        tree.vm("h1", "web1").place(4242);

        assertFalse(exists("sys/fs/cgroup/memory/process_api/old/vireo/h1/web1"), "the old group is gone");
        assertEquals("4242", read("sys/fs/cgroup/memory/process_api/abc/vireo/h1/web1/cgroup.procs"));
        assertTrue(exists("sys/fs/cgroup/cpu/vireo/h1/web1"), "the group the process is in now stays");
    }

    @Test
    void placingAReattachedProcessRemovesTheGroupTheSameRuntimeLeftInAnotherCgroup() throws IOException {
        String group = CgroupTree.groupFor(root.resolve("data/qemu-running"));
        file("proc/self/mountinfo", V1_APART);
        file("proc/self/cgroup", V1_APART_SELF);
        file("proc/4242/cgroup", "4:memory:/process_api/old/" + group + "/h1/web1\n2:cpuacct:/" + group + "/h1/web1\n1:cpu:/"
                + group + "/h1/web1\n");
        file("sys/fs/cgroup/memory/process_api/old/" + group + "/h1/web1/memory.limit_in_bytes", "1");
        file("sys/fs/cgroup/memory/process_api/old/vireo-00000000/h1/web1/memory.limit_in_bytes", "1");

        CgroupTree tree = CgroupTree.detect(root, "", group);
        tree.prepareHost("h1");
        tree.vm("h1", "web1").place(4242);

        assertFalse(exists("sys/fs/cgroup/memory/process_api/old/" + group + "/h1/web1"), "the old group is gone");
        assertTrue(exists("sys/fs/cgroup/memory/process_api/old/vireo-00000000/h1/web1"), "another runtime's group stays");
        assertEquals("4242", read("sys/fs/cgroup/memory/process_api/abc/" + group + "/h1/web1/cgroup.procs"));
    }

    @Test
    void theRuntimesGroupIsNamedForItsFolderTheSameAtEveryStart() {
        String a = CgroupTree.groupFor(root.resolve("a/qemu-running"));

        assertTrue(a.matches("vireo-[0-9a-f]{8}"), a);
        assertEquals(a, CgroupTree.groupFor(root.resolve("a/x/../qemu-running")), "the same folder, spelled otherwise");
        assertEquals(a, CgroupTree.groupFor(root.resolve("a/qemu-running").toAbsolutePath()));
        assertFalse(a.equals(CgroupTree.groupFor(root.resolve("b/qemu-running"))), "another runtime's folder");
    }

    @Test
    void twoRuntimesWithTheSameHostAndVmNamesUseTwoGroupsAndRemoveOnlyTheirOwn() throws IOException {
        file("proc/self/mountinfo", V1_APART);
        file("proc/self/cgroup", V1_APART_SELF);
        String first = CgroupTree.groupFor(root.resolve("data1/qemu-running"));
        String second = CgroupTree.groupFor(root.resolve("data2/qemu-running"));
        CgroupTree one = CgroupTree.detect(root, "", first);
        CgroupTree two = CgroupTree.detect(root, "", second);
        one.prepareHost("h1");
        two.prepareHost("h1");
        VmCgroup a = one.vm("h1", "web1");
        VmCgroup b = two.vm("h1", "web1");
        a.place(11);
        b.place(22);

        assertEquals(root.resolve("sys/fs/cgroup/cpu/" + first + "/h1/web1"), a.directory());
        assertEquals(root.resolve("sys/fs/cgroup/cpu/" + second + "/h1/web1"), b.directory());
        assertEquals("11", read("sys/fs/cgroup/cpu/" + first + "/h1/web1/cgroup.procs"));
        assertEquals("22", read("sys/fs/cgroup/cpu/" + second + "/h1/web1/cgroup.procs"));
        assertEquals(root.resolve("sys/fs/cgroup/cpu/" + first + "/h1"),
                CgroupTree.detect(root, "", CgroupTree.groupFor(root.resolve("data1/qemu-running"))).hostDirectory("h1"),
                "a restarted runtime finds its groups again");

        assertTrue(a.remove());
        one.removeHost("h1");

        assertFalse(exists("sys/fs/cgroup/cpu/" + first), "the first runtime's groups go once empty");
        assertFalse(exists("sys/fs/cgroup/memory/process_api/abc/" + first));
        assertTrue(exists("sys/fs/cgroup/cpu/" + second + "/h1/web1/cgroup.procs"), "the other runtime's group is untouched");
    }

    @Test
    void aConfiguredParentIsNeverRemoved() throws IOException {
        file("proc/self/mountinfo", V1_APART);
        file("proc/self/cgroup", V1_APART_SELF);
        CgroupTree tree = CgroupTree.detect(root, "/machine/vireo", CgroupTree.groupFor(root));
        tree.prepareHost("h1");
        assertTrue(tree.vm("h1", "a").remove());

        tree.removeHost("h1");

        assertFalse(exists("sys/fs/cgroup/cpu/machine/vireo/h1"));
        assertTrue(exists("sys/fs/cgroup/cpu/machine/vireo"), "the administrator's group stays");
    }

    @Test
    void aHostGroupHoldingAnotherVmStays() throws IOException {
        file("proc/self/mountinfo", V1_APART);
        file("proc/self/cgroup", V1_APART_SELF);
        CgroupTree tree = CgroupTree.detect(root, "");
        tree.prepareHost("h1");
        VmCgroup a = tree.vm("h1", "a");
        tree.vm("h1", "b");

        a.remove();
        tree.removeHost("h1");

        assertFalse(exists("sys/fs/cgroup/cpu/vireo/h1/a"));
        assertTrue(exists("sys/fs/cgroup/cpu/vireo/h1/b"), "b's group is untouched");
    }

    @Test
    void withoutACpuHierarchyDetectionSaysWhatItFound() throws IOException {
        file("proc/self/mountinfo", "35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"
                + "41 31 0:38 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw\n");
        file("proc/self/cgroup", "4:memory:/\n");
        file("sys/fs/cgroup/unified/cgroup.controllers", "");

        HypervisorException e = assertThrows(HypervisorException.class, () -> CgroupTree.detect(root, ""));

        assertTrue(e.getMessage().contains("no cgroup hierarchy with the cpu controller") && e.getMessage().contains("[memory]")
                && e.getMessage().contains("/sys/fs/cgroup/unified without cpu"), e.getMessage());
    }

    @Test
    void aReadOnlyTreeFailsNamingTheDirectory() throws IOException {
        file("proc/self/mountinfo", V1_APART);
        file("proc/self/cgroup", V1_APART_SELF);
        file("sys/fs/cgroup/cpu/vireo", "a file where the group should be");

        CgroupTree tree = CgroupTree.detect(root, "");
        HypervisorException e = assertThrows(HypervisorException.class, () -> tree.prepareHost("h1"));

        assertTrue(e.getMessage().contains("cannot create the cgroup") && e.getMessage().contains("vireo"), e.getMessage());
    }
}
