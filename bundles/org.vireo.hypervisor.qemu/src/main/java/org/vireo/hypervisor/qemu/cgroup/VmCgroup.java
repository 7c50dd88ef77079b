package org.vireo.hypervisor.qemu.cgroup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.vireo.api.hypervisor.HypervisorException;
import org.vireo.cgroups.CgroupCpuSettings;
import org.vireo.hypervisor.qemu.cgroup.CgroupTree.Version;

/**
 * One VM's group: the directory {@code .../HOST/VM} in each hierarchy the hypervisor uses.
 * <ul>
 * <li>{@link #place} moves a whole process (every thread) in: its pid goes to {@code cgroup.procs}
 * of each directory;</li>
 * <li>{@link #applyCpu} writes a {@link CgroupCpuSettings}: v1 {@code cpu.cfs_period_us},
 * {@code cpu.cfs_quota_us}, {@code cpu.shares}; v2 {@code cpu.max}, {@code cpu.weight};</li>
 * <li>{@link #limitMemory}: v1 {@code memory.limit_in_bytes}, v2 {@code memory.max} (and
 * {@code memory.high} back to {@code max}): the hard limit, set afresh whenever a process is
 * admitted;</li>
 * <li>{@link #limitSwap} and {@link #clearSwapLimit}: the limit lowered to push the VM's memory to
 * swap, {@link #swapLimitFile}: v1 {@code memory.limit_in_bytes}, v2 {@code memory.high};
 * {@link #swapRoomBytes} and {@link #swapBlocker} say how much swap the group may still use and
 * what would keep it from swapping at all;</li>
 * <li>{@link #usageNanos}: CPU time of the group's tasks, v1 {@code cpuacct.usage}, v2
 * {@code usage_usec} of {@code cpu.stat}; {@link #throttling} from {@code cpu.stat};</li>
 * <li>{@link #remove} deletes the directories once the process is gone.</li>
 * </ul>
 */
public final class VmCgroup {
    private static final String V1_LIMIT = "memory.limit_in_bytes";
    private static final String V2_HIGH = "memory.high";

    /** Bandwidth throttling of the group since it was created. */
    public record Throttling(long periods, long throttledPeriods, long throttledNanos) {
    }

    private final CgroupTree tree;
    private final String host;
    private final String vm;
    /** Per controller ({@code cpu}, {@code cpuacct}, {@code memory}): the group's directory. */
    private final Map<String, Path> dirs;

    VmCgroup(CgroupTree tree, String host, String vm, Map<String, Path> dirs) {
        this.tree = tree;
        this.host = host;
        this.vm = vm;
        this.dirs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(dirs));
    }

    /** @return the directory in the {@code cpu} hierarchy, for people */
    public Path directory() {
        return dirs.get("cpu");
    }

    /** @return the version of the tree the group belongs to */
    public Version version() {
        return tree.version();
    }

    /**
     * Moves a process, with all its threads, into the group. A group of the same VM that the
     * process leaves (one made by an earlier runtime in another cgroup) is removed if it is left
     * empty.
     *
     * @param pid the process
     * @throws HypervisorException naming the file that could not be written
     */
    public void place(long pid) {
        Map<String, String> before = tree.cgroupsOf(pid);
        for (Path dir : new LinkedHashSet<>(dirs.values())) {
            write(dir.resolve("cgroup.procs"), Long.toString(pid));
        }
        // the same runtime's group (started from another cgroup before), or one of a version that named it plain vireo
        String legacy = "/" + CgroupTree.TOP + "/" + host + "/" + vm;
        for (Map.Entry<String, String> e : before.entrySet()) {
            Path now = dirs.get(e.getKey());
            String old = e.getValue();
            Path mount = tree.mount(e.getKey());
            String own = now == null ? legacy : "/" + now.getParent().getParent().getFileName() + "/" + host + "/" + vm;
            if (now != null && mount != null && (old.endsWith(own) || old.endsWith(legacy))) {
                Path oldDir = mount.resolve(old.substring(1));
                if (!oldDir.equals(now)) {
                    CgroupTree.removeIfLeaf(oldDir);
                }
            }
        }
    }

    /**
     * @param settings the VM's CPU settings, as mapped from the policy's decision
     * @throws HypervisorException naming the file and value the kernel refused
     */
    public void applyCpu(CgroupCpuSettings settings) {
        Map<String, String> files = version() == Version.V1 ? settings.v1() : settings.v2();
        Path dir = dirs.get("cpu");
        files.forEach((name, value) -> write(dir.resolve(name), value));
    }

    /**
     * Sets the group's hard memory limit afresh, dropping any swap limit: v1
     * {@code memory.limit_in_bytes}; v2 {@code memory.max}, and {@code memory.high} back to
     * {@code max}.
     *
     * @param bytes the most memory the VM's process may use
     * @return whether a memory controller took the limit (false where none is mounted)
     * @throws HypervisorException naming the file the kernel refused
     */
    public boolean limitMemory(long bytes) {
        Path dir = dirs.get("memory");
        if (dir == null) {
            return false;
        }
        if (version() == Version.V1) {
            write(dir.resolve(V1_LIMIT), Long.toString(bytes));
        } else {
            write(dir.resolve("memory.max"), Long.toString(bytes));
            write(dir.resolve(V2_HIGH), "max");
        }
        return true;
    }

    /**
     * The file whose value is lowered to push a group's memory to swap.
     * <ul>
     * <li>v1: {@code memory.limit_in_bytes}, the only v1 limit that makes the kernel reclaim the
     * group itself ({@code memory.soft_limit_in_bytes} only counts under machine-wide pressure).
     * When reclaim cannot bring the group under it (no swap left), the kernel kills a task of the
     * group, so it is never lowered by more than the free swap.</li>
     * <li>v2: {@code memory.high}, not {@code memory.max}. Over {@code memory.high} the group is
     * put under heavy reclaim and its allocations are throttled, but the OOM killer is never
     * invoked; over {@code memory.max}, when reclaim fails, it is. A guest whose swap runs out is
     * thus slowed, not killed, and {@code memory.max} stays at the guest's memory plus QEMU's
     * overhead against a runaway QEMU.</li>
     * </ul>
     *
     * @param version the cgroup version
     * @return the file's name
     */
    public static String swapLimitFile(Version version) {
        return version == Version.V1 ? V1_LIMIT : V2_HIGH;
    }

    /**
     * Lowers (or raises) the memory the group may hold before the kernel reclaims it to swap:
     * writes {@link #swapLimitFile}. The kernel reclaims down to a lower value in the write itself
     * (v1 fails with EBUSY, the old limit kept, when it cannot).
     *
     * @param bytes the limit
     * @throws HypervisorException naming the file and value the kernel refused, or when the group has no memory controller
     */
    public void limitSwap(long bytes) {
        write(memoryDir().resolve(swapLimitFile(version())), Long.toString(bytes));
    }

    /**
     * Lifts the swap limit: v1 {@code memory.limit_in_bytes} back to the hard limit, v2
     * {@code memory.high} back to {@code max}.
     *
     * @param hardLimitBytes the group's hard limit (the guest's memory plus QEMU's overhead)
     * @throws HypervisorException naming the file the kernel refused, or when the group has no memory controller
     */
    public void clearSwapLimit(long hardLimitBytes) {
        write(memoryDir().resolve(swapLimitFile(version())), version() == Version.V1 ? Long.toString(hardLimitBytes) : "max");
    }

    /**
     * @return the swap limit in force, read back from {@link #swapLimitFile}, bytes;
     *         {@link Long#MAX_VALUE} for v2's {@code max}; empty without a memory controller or
     *         when the file cannot be read
     */
    public OptionalLong swapLimit() {
        Path dir = dirs.get("memory");
        if (dir == null) {
            return OptionalLong.empty();
        }
        Optional<String> text = read(dir.resolve(swapLimitFile(version())));
        if (text.isEmpty()) {
            return OptionalLong.empty();
        }
        if (text.get().equals("max")) {
            return OptionalLong.of(Long.MAX_VALUE);
        }
        return parse(text.get()).map(OptionalLong::of).orElse(OptionalLong.empty());
    }

    /**
     * How much more the group may write to swap by its own and its parents' swap limits: on v2
     * the least {@code memory.swap.max} less {@code memory.swap.current} of the group and each
     * parent below the hierarchy's root (a group without those files, i.e. without swap
     * accounting, limits nothing). On v1 {@link Long#MAX_VALUE}: v1 has no swap limit of its own,
     * and {@code memory.memsw.limit_in_bytes} caps memory and swap together, which a swap-out
     * leaves unchanged (see {@link #swapBlocker}).
     *
     * @return bytes, {@link Long#MAX_VALUE} where nothing limits the group's swap
     */
    public long swapRoomBytes() {
        Path dir = dirs.get("memory");
        if (dir == null || version() == Version.V1) {
            return Long.MAX_VALUE;
        }
        Path mount = tree.mount("memory");
        long room = Long.MAX_VALUE;
        for (Path d = dir; d != null && !d.equals(mount) && d.startsWith(mount); d = d.getParent()) {
            Optional<String> max = read(d.resolve("memory.swap.max"));
            if (max.isEmpty() || max.get().equals("max")) {
                continue;
            }
            long limit = parse(max.get()).orElse(Long.MAX_VALUE);
            long current = read(d.resolve("memory.swap.current")).flatMap(VmCgroup::parse).orElse(0L);
            room = Math.min(room, Math.max(0, limit - current));
        }
        return room;
    }

    /**
     * What in the group itself would keep a lowered limit from pushing the VM's memory to swap.
     * <ul>
     * <li>v1 {@code memory.swappiness} 0: reclaim in the group takes page cache only, never
     * anonymous memory, so a lower limit would make the kernel kill the guest. (On v2 the
     * machine's {@code vm.swappiness} plays that part; the caller checks it.)</li>
     * <li>v1 {@code memory.memsw.limit_in_bytes} below the hard limit: the kernel refuses a
     * {@code memory.limit_in_bytes} above it, so the limit could not be raised back. A memsw
     * limit at or above it, in the group or a parent, does not block swapping: it caps memory
     * and swap together, and a swap-out moves a page from one to the other without changing
     * that sum; memory swapped out still counts against it, so it frees nothing for the
     * parent's other groups.</li>
     * </ul>
     *
     * @param hardLimitBytes the group's hard limit (the guest's memory plus QEMU's overhead)
     * @return why the group cannot swap, for people; empty when nothing in it prevents it
     */
    public Optional<String> swapBlocker(long hardLimitBytes) {
        Path dir = dirs.get("memory");
        if (dir == null) {
            return Optional.of("its cgroup has no memory controller");
        }
        if (version() == Version.V2) {
            return Optional.empty();
        }
        if (read(dir.resolve("memory.swappiness")).flatMap(VmCgroup::parse).orElse(-1L) == 0) {
            return Optional.of(dir.resolve("memory.swappiness") + " is 0: the kernel would not swap the group's memory");
        }
        long memsw = read(dir.resolve("memory.memsw.limit_in_bytes")).flatMap(VmCgroup::parse).orElse(Long.MAX_VALUE);
        if (memsw < hardLimitBytes) {
            return Optional.of(dir.resolve("memory.memsw.limit_in_bytes") + " is " + memsw / (1024 * 1024) + " MiB, below the"
                    + " memory limit of " + hardLimitBytes / (1024 * 1024) + " MiB: a lowered limit could not be raised back");
        }
        return Optional.empty();
    }

    /** @return the CPU time the group's tasks used since it was created, nanoseconds; empty if unreadable */
    public Optional<Long> usageNanos() {
        if (version() == Version.V1) {
            return read(dirs.get("cpuacct").resolve("cpuacct.usage")).flatMap(VmCgroup::parse);
        }
        return stat(dirs.get("cpu").resolve("cpu.stat"), "usage_usec").map(us -> us * 1000);
    }

    /** @return the group's bandwidth throttling, zeros where the kernel reports none */
    public Throttling throttling() {
        Path stat = dirs.get("cpu").resolve("cpu.stat");
        long periods = stat(stat, "nr_periods").orElse(0L);
        long throttled = stat(stat, "nr_throttled").orElse(0L);
        long nanos = version() == Version.V1 ? stat(stat, "throttled_time").orElse(0L)
                : stat(stat, "throttled_usec").map(us -> us * 1000).orElse(0L);
        return new Throttling(periods, throttled, nanos);
    }

    /** @return the memory limit written, bytes, or empty where there is none or it cannot be read */
    public Optional<Long> memoryLimit() {
        Path dir = dirs.get("memory");
        if (dir == null) {
            return Optional.empty();
        }
        return read(dir.resolve(version() == Version.V1 ? V1_LIMIT : "memory.max")).flatMap(VmCgroup::parse);
    }

    /**
     * Removes the group's directories; call once its process is gone. Best effort: a directory
     * the kernel still finds busy after a short wait stays.
     *
     * @return whether every directory is gone
     */
    public boolean remove() {
        boolean all = true;
        for (Path dir : new LinkedHashSet<>(dirs.values())) {
            all &= CgroupTree.removeIfLeaf(dir);
        }
        return all;
    }

    /** @return every directory of the group */
    public List<Path> directories() {
        return new ArrayList<>(new LinkedHashSet<>(dirs.values()));
    }

    private Path memoryDir() {
        Path dir = dirs.get("memory");
        if (dir == null) {
            throw new HypervisorException("the cgroup of VM " + vm + " on host " + host + " has no memory controller");
        }
        return dir;
    }

    static void write(Path file, String value) {
        try {
            Files.writeString(file, value, StandardCharsets.US_ASCII, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new HypervisorException("cannot write '" + value + "' to " + file + ": " + e, e);
        }
    }

    private static Optional<String> read(Path file) {
        try {
            return Optional.of(Files.readString(file, StandardCharsets.US_ASCII).trim());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<Long> stat(Path file, String key) {
        for (String line : CgroupTree.linesOrEmpty(file)) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 2 && f[0].equals(key)) {
                return parse(f[1]);
            }
        }
        return Optional.empty();
    }

    private static Optional<Long> parse(String text) {
        try {
            return Optional.of(Long.parseLong(text.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty(); // "max" on v2
        }
    }
}
