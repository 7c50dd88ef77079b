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
 * <li>{@link #limitMemory}: v1 {@code memory.limit_in_bytes}, v2 {@code memory.max};</li>
 * <li>{@link #usageNanos}: CPU time of the group's tasks, v1 {@code cpuacct.usage}, v2
 * {@code usage_usec} of {@code cpu.stat}; {@link #throttling} from {@code cpu.stat};</li>
 * <li>{@link #remove} deletes the directories once the process is gone.</li>
 * </ul>
 */
public final class VmCgroup {
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
        String suffix = "/" + CgroupTree.TOP + "/" + host + "/" + vm;
        for (Map.Entry<String, String> e : before.entrySet()) {
            Path now = dirs.get(e.getKey());
            String old = e.getValue();
            Path mount = tree.mount(e.getKey());
            if (now != null && mount != null && old.endsWith(suffix)) {
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
     * @param bytes the most memory the VM's process may use
     * @return whether a memory controller took the limit (false where none is mounted)
     * @throws HypervisorException naming the file the kernel refused
     */
    public boolean limitMemory(long bytes) {
        Path dir = dirs.get("memory");
        if (dir == null) {
            return false;
        }
        write(dir.resolve(version() == Version.V1 ? "memory.limit_in_bytes" : "memory.max"), Long.toString(bytes));
        return true;
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
        return read(dir.resolve(version() == Version.V1 ? "memory.limit_in_bytes" : "memory.max")).flatMap(VmCgroup::parse);
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
