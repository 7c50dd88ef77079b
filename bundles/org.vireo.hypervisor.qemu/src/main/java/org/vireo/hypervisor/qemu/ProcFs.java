package org.vireo.hypervisor.qemu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads what the kernel says about QEMU processes and the host, from {@code /proc} and
 * {@code /sys}. Rooted at given directories so that tests can use a fake tree. Every reader
 * returns empty (or -1) when the process is gone: it may exit between two reads.
 */
public final class ProcFs {
    /**
     * Clock ticks per second of {@code /proc/PID/stat} times (USER_HZ). It is 100 on every x86
     * Linux build; Java cannot ask sysconf(_SC_CLK_TCK).
     */
    public static final int CLOCK_TICKS = 100;

    private final Path proc;
    private final Path sys;

    /**
     * @param proc the proc mount, normally {@code /proc}
     * @param sys the sysfs mount, normally {@code /sys}
     */
    public ProcFs(Path proc, Path sys) {
        this.proc = proc;
        this.sys = sys;
    }

    /** @return the real {@code /proc} and {@code /sys} */
    public static ProcFs system() {
        return new ProcFs(Path.of("/proc"), Path.of("/sys"));
    }

    /**
     * Figures of {@code /proc/PID/stat} for the whole process (all threads).
     *
     * @param state the one-letter state ({@code R}, {@code S}, {@code Z}, ...)
     * @param cpuTicks user plus system time, in {@link #CLOCK_TICKS}
     * @param startTicks when the process started, in ticks since boot (with the pid, its identity)
     */
    public record Stat(char state, long cpuTicks, long startTicks) {
    }

    /**
     * @param pid a process
     * @return its figures, or empty if it is gone
     */
    public Optional<Stat> stat(long pid) {
        return read(proc.resolve(pid + "/stat")).flatMap(ProcFs::parseStat);
    }

    static Optional<Stat> parseStat(String text) {
        int close = text.lastIndexOf(')');
        if (close < 0) {
            return Optional.empty();
        }
        String[] f = text.substring(close + 1).trim().split("\\s+");
        if (f.length < 20) {
            return Optional.empty();
        }
        try {
            // after "pid (comm)": f[0] is field 3 (state), f[11] utime (14), f[12] stime (15), f[19] starttime (22)
            return Optional.of(new Stat(f[0].charAt(0), Long.parseLong(f[11]) + Long.parseLong(f[12]), Long.parseLong(f[19])));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * @param pid a process
     * @param key a key of {@code /proc/PID/status} given in kB, e.g. {@code VmRSS}
     * @return the value in KiB, or -1
     */
    public long statusKiB(long pid, String key) {
        return read(proc.resolve(pid + "/status")).map(t -> kibValue(t, key)).orElse(-1L);
    }

    /**
     * @param pid a process
     * @return its thread ids
     */
    public List<Long> threads(long pid) {
        List<Long> ids = new ArrayList<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(proc.resolve(pid + "/task"))) {
            for (Path t : tasks) {
                try {
                    ids.add(Long.parseLong(t.getFileName().toString()));
                } catch (NumberFormatException e) {
                    // not a thread
                }
            }
        } catch (IOException e) {
            // gone
        }
        return ids;
    }

    /**
     * @param pid a process
     * @param tid one of its threads
     * @return the thread's name ({@code comm}), or empty
     */
    public String threadName(long pid, long tid) {
        return read(proc.resolve(pid + "/task/" + tid + "/comm")).map(String::trim).orElse("");
    }

    /**
     * @param pid a process
     * @param tid one of its threads
     * @return nanoseconds the thread spent runnable but waiting for a CPU ({@code schedstat}
     *         field 2), or -1
     */
    public long runDelayNanos(long pid, long tid) {
        return read(proc.resolve(pid + "/task/" + tid + "/schedstat")).map(t -> {
            String[] f = t.trim().split("\\s+");
            try {
                return f.length >= 2 ? Long.parseLong(f[1]) : -1L;
            } catch (NumberFormatException e) {
                return -1L;
            }
        }).orElse(-1L);
    }

    /**
     * @param pid a process
     * @param key {@code read_bytes} or {@code write_bytes}
     * @return bytes the process made the block layer read or write ({@code /proc/PID/io}), or -1
     */
    public long ioBytes(long pid, String key) {
        return read(proc.resolve(pid + "/io")).map(t -> rawValue(t, key)).orElse(-1L);
    }

    /**
     * @param pid a process
     * @return its pages merged by KSM ({@code /proc/PID/ksm_merging_pages}), or 0 where the
     *         kernel does not report it
     */
    public long ksmMergingPages(long pid) {
        return read(proc.resolve(pid + "/ksm_merging_pages")).map(t -> parseLong(t.trim())).orElse(0L);
    }

    /**
     * @param pid a process
     * @return its command line, arguments separated by NUL, or empty
     */
    public String cmdline(long pid) {
        return read(proc.resolve(pid + "/cmdline")).orElse("");
    }

    /** @return the host's MemAvailable in KiB, or -1 */
    public long memAvailableKiB() {
        return read(proc.resolve("meminfo")).map(t -> kibValue(t, "MemAvailable")).orElse(-1L);
    }

    /**
     * The machine's swap space, as {@code /proc/swaps} lists it: the sizes of every swap area
     * (partition or file) added up.
     *
     * @param areas how many swap areas are in use
     * @param totalKiB their size, KiB
     * @param usedKiB what is written to them, KiB
     */
    public record SwapSpace(int areas, long totalKiB, long usedKiB) {
        /** No swap area. */
        public static final SwapSpace NONE = new SwapSpace(0, 0, 0);

        /** @return the space not yet written, KiB */
        public long freeKiB() {
            return Math.max(0, totalKiB - usedKiB);
        }
    }

    /** @return the machine's swap space ({@code /proc/swaps}); empty when the file cannot be read */
    public Optional<SwapSpace> swapSpace() {
        return read(proc.resolve("swaps")).map(ProcFs::parseSwaps);
    }

    /**
     * @param text {@code /proc/swaps}: a header line, then one line per area with the fields
     *        Filename, Type, Size, Used (KiB) and Priority; a file name may hold escaped blanks
     *        ({@code \040}) but never a raw one
     * @return the areas added up; lines that do not parse are left out
     */
    static SwapSpace parseSwaps(String text) {
        int areas = 0;
        long total = 0;
        long used = 0;
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 5 || f[0].equals("Filename")) {
                continue;
            }
            long size = parseLong(f[2]);
            long inUse = parseLong(f[3]);
            if (size < 0 || inUse < 0) {
                continue;
            }
            areas++;
            total += size;
            used += inUse;
        }
        return new SwapSpace(areas, total, used);
    }

    /** @return the kernel's {@code vm.swappiness} ({@code /proc/sys/vm/swappiness}), or -1 */
    public long swappiness() {
        return read(proc.resolve("sys/vm/swappiness")).map(t -> parseLong(t.trim())).orElse(-1L);
    }

    /** @return host pages saved by KSM ({@code pages_sharing}), or 0 */
    public long ksmPagesSharing() {
        return read(sys.resolve("kernel/mm/ksm/pages_sharing")).map(t -> parseLong(t.trim())).orElse(0L);
    }

    private static long kibValue(String text, String key) {
        for (String line : text.split("\n")) {
            if (line.startsWith(key + ":")) {
                String[] f = line.substring(key.length() + 1).trim().split("\\s+");
                return parseLong(f[0]);
            }
        }
        return -1;
    }

    private static long rawValue(String text, String key) {
        for (String line : text.split("\n")) {
            if (line.startsWith(key + ":")) {
                return parseLong(line.substring(key.length() + 1).trim());
            }
        }
        return -1;
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static Optional<String> read(Path file) {
        try {
            return Optional.of(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
