package org.vireo.hypervisor.qemu;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One heartbeat line of the guest's workload, e.g.
 * {@code HB t=12 iters=123456789 rate=35.7M dirtyMiB=240 memTotalKiB=479612 memFreeKiB=401234 memAvailKiB=420000}.
 *
 * @param seconds seconds since the workload started
 * @param iterations loop iterations done by its burner threads
 * @param rateMillions iterations per second over the last second, in millions
 * @param dirtiedMiB memory written so far
 * @param memTotalKiB the guest's MemTotal
 * @param memFreeKiB the guest's MemFree
 * @param memAvailableKiB the guest's MemAvailable
 */
public record Heartbeat(long seconds, long iterations, double rateMillions, long dirtiedMiB, long memTotalKiB,
        long memFreeKiB, long memAvailableKiB) {
    /**
     * @param line a console line
     * @return the heartbeat, if the line is one
     */
    public static Optional<Heartbeat> parse(String line) {
        if (line == null || !line.startsWith(GuestImage.HEARTBEAT)) {
            return Optional.empty();
        }
        Map<String, String> f = new HashMap<>();
        for (String part : line.substring(GuestImage.HEARTBEAT.length()).trim().split("\\s+")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                f.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        try {
            String rate = f.getOrDefault("rate", "0M");
            return Optional.of(new Heartbeat(Long.parseLong(f.get("t")), Long.parseLong(f.get("iters")),
                    Double.parseDouble(rate.endsWith("M") ? rate.substring(0, rate.length() - 1) : rate),
                    Long.parseLong(f.getOrDefault("dirtyMiB", "0")), Long.parseLong(f.getOrDefault("memTotalKiB", "-1")),
                    Long.parseLong(f.getOrDefault("memFreeKiB", "-1")), Long.parseLong(f.getOrDefault("memAvailKiB", "-1"))));
        } catch (RuntimeException e) {
            return Optional.empty(); // a line cut by a crash, or not ours
        }
    }
}
