package org.vireo.hypervisor.qemu;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The kernel's same-page merging ({@code /sys/kernel/mm/ksm}), which carries out page sharing
 * for every qemu host of the machine: QEMU marks guest memory mergeable ({@code mem-merge=on}),
 * and KSM runs while some host's sharing strategy asks for a scan.
 * <p>
 * KSM is machine-wide, so the settings found ({@code run}, {@code pages_to_scan},
 * {@code sleep_millisecs}) are saved before the first change, to a file as well, and written
 * back when no host asks any more and when the hypervisor stops. A runtime killed while KSM ran
 * leaves that file; the next one restores what it records, not what it finds.
 * <p>
 * The pace: the hosts' scan budgets (pages per interval) are added up into pages per second,
 * and KSM, which wakes every {@code sleep_millisecs} (left as found), scans
 * {@code ceil(pages per second × sleep_millisecs / 1000)} pages per wake-up.
 */
final class KsmControl {
    /** The files saved and restored, in the order they are restored ({@code run} last). */
    static final List<String> SETTINGS = List.of("pages_to_scan", "sleep_millisecs", "run");
    /** The most pages per wake-up asked of KSM. */
    static final long MAX_PAGES_TO_SCAN = 1_000_000;

    private final Path dir;
    private final Path savedFile;
    private final Map<String, Double> wanted = new LinkedHashMap<>();
    private Map<String, String> found;
    private long written = -1;
    /** The pages per second last carried out, -1 while KSM is not run for Vireo. */
    private double appliedPerSecond = -1;
    private String problem = "";

    /**
     * @param dir the KSM directory, normally {@code /sys/kernel/mm/ksm}
     * @param savedFile where the settings found are kept while KSM runs for Vireo
     */
    KsmControl(Path dir, Path savedFile) {
        this.dir = dir;
        this.savedFile = savedFile;
        if (Files.isRegularFile(savedFile)) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(savedFile, StandardCharsets.UTF_8)) {
                p.load(r);
                Map<String, String> recorded = new LinkedHashMap<>();
                for (String key : SETTINGS) {
                    String v = p.getProperty(key);
                    if (v != null) {
                        recorded.put(key, v.trim());
                    }
                }
                if (recorded.size() == SETTINGS.size()) {
                    found = recorded; // an earlier runtime changed KSM and died before it could restore it
                }
            } catch (IOException e) {
                problem = "cannot read " + savedFile + ": " + e.getMessage();
            }
        }
    }

    /** @return whether the machine has KSM */
    boolean available() {
        return Files.isRegularFile(dir.resolve("run"));
    }

    /**
     * Records what one host asks for this interval; {@link #apply} acts on it.
     *
     * @param host the host
     * @param pagesPerSecond its scan budget, 0 for none
     */
    synchronized void request(String host, double pagesPerSecond) {
        if (pagesPerSecond > 0) {
            wanted.put(host, pagesPerSecond);
        } else {
            wanted.remove(host);
        }
    }

    /** @param host a host that no longer asks for anything (detached) */
    synchronized void release(String host) {
        wanted.remove(host);
    }

    /**
     * Runs KSM at the pace the hosts ask for, or restores the settings found when none asks.
     * While the pace asked is the one last carried out without a problem, nothing is read or
     * written.
     */
    synchronized void apply() {
        double perSecond = wanted.values().stream().mapToDouble(Double::doubleValue).sum();
        if (perSecond > 0 && perSecond == appliedPerSecond && found != null && problem.isEmpty()) {
            return;
        }
        if (!available()) {
            return;
        }
        if (perSecond <= 0) {
            restore();
            return;
        }
        try {
            if (found == null) {
                Map<String, String> now = new LinkedHashMap<>();
                for (String key : SETTINGS) {
                    now.put(key, Files.readString(dir.resolve(key)).trim());
                }
                save(now);
                found = now;
                written = -1;
            }
            long sleep = Math.max(1, parse(Files.readString(dir.resolve("sleep_millisecs")).trim(), 20));
            long pages = Math.max(1, Math.min(MAX_PAGES_TO_SCAN, (long) Math.ceil(perSecond * sleep / 1000.0)));
            if (pages != written) {
                Files.writeString(dir.resolve("pages_to_scan"), Long.toString(pages));
                Files.writeString(dir.resolve("run"), "1");
                written = pages;
            }
            appliedPerSecond = perSecond;
            problem = "";
        } catch (IOException e) {
            problem = "cannot drive KSM in " + dir + ": " + e.getMessage();
        }
    }

    /** Writes back the settings found, if KSM was changed, and forgets them. */
    synchronized void restore() {
        if (found == null) {
            return;
        }
        try {
            for (String key : SETTINGS) {
                Files.writeString(dir.resolve(key), found.get(key));
            }
            Files.deleteIfExists(savedFile);
            found = null;
            written = -1;
            appliedPerSecond = -1;
            problem = "";
        } catch (IOException e) {
            problem = "cannot restore KSM settings " + found + " in " + dir + ": " + e.getMessage();
        }
    }

    /** @return for people: whether KSM runs for Vireo, at which pace, and what was found */
    synchronized String describe() {
        if (!available()) {
            return "KSM: not available (" + dir + " missing)";
        }
        String state = found == null ? "KSM: not used (no page sharing strategy asks)"
                : "KSM: on, " + written + " pages per wake-up (found " + found + ", restored when sharing stops)";
        return problem.isEmpty() ? state : state + "; " + problem;
    }

    private void save(Map<String, String> settings) throws IOException {
        Properties p = new Properties();
        settings.forEach(p::setProperty);
        Files.createDirectories(savedFile.getParent());
        Path tmp = savedFile.resolveSibling(savedFile.getFileName() + ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            p.store(w, "KSM settings found before Vireo ran KSM; written back when it stops");
        }
        Files.move(tmp, savedFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static long parse(String text, long fallback) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
