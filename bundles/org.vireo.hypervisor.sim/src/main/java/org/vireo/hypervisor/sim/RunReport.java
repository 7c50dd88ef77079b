package org.vireo.hypervisor.sim;

import java.util.List;
import java.util.Locale;
import org.vireo.api.hypervisor.HypervisorEvent;

/**
 * What a batch run did: per VM its CPU work during the run and its memory at the end, and the
 * events the hosts recorded meanwhile.
 *
 * @param fromMillis virtual time at the start
 * @param toMillis virtual time at the end
 * @param wallMillis wall time the run took
 * @param intervals scheduling intervals run
 * @param vms one line per VM holding resources at the end
 * @param events events recorded during the run
 */
public record RunReport(long fromMillis, long toMillis, long wallMillis, long intervals, List<VmLine> vms,
        List<HypervisorEvent> events) {
    /** The most events listed in {@link #text()}. */
    public static final int EVENTS_SHOWN = 50;

    /**
     * One VM at the end of a run.
     *
     * @param host its host
     * @param vm its name
     * @param state its state
     * @param workMhzSeconds CPU work done during the run, MHz·s
     * @param totalWorkMhzSeconds CPU work since it started
     * @param usedMhz CPU used in the last interval
     * @param residentMiB memory backed by host pages
     * @param sharedMiB memory mapped to shared pages
     * @param balloonedMiB memory held by the balloon
     * @param swappedMiB memory in hypervisor swap
     * @param zeroMiB resident zero pages
     * @param imageMiB resident OS-image pages
     * @param compressibleMiB resident compressible pages
     * @param randomMiB resident random pages
     */
    public record VmLine(String host, String vm, String state, double workMhzSeconds, double totalWorkMhzSeconds,
            double usedMhz, long residentMiB, long sharedMiB, long balloonedMiB, long swappedMiB, long zeroMiB,
            long imageMiB, long compressibleMiB, long randomMiB) {
    }

    /** Copies the lists. */
    public RunReport {
        vms = List.copyOf(vms);
        events = List.copyOf(events);
    }

    /** @return the report for people */
    public String text() {
        StringBuilder sb = new StringBuilder();
        double seconds = (toMillis - fromMillis) / 1000.0;
        sb.append(String.format(Locale.ROOT, "sim run: %s -> %s virtual (%s), %d intervals, %.2f s wall, %.0f virtual s per wall s%n",
                Durations.format(fromMillis), Durations.format(toMillis), Durations.format(toMillis - fromMillis), intervals,
                wallMillis / 1000.0, wallMillis == 0 ? seconds * 1000 : seconds / (wallMillis / 1000.0)));
        sb.append(String.format(Locale.ROOT, "%-12s %-16s %-8s %14s %9s %9s %8s %8s %8s %8s %8s %8s %8s%n", "HOST", "VM", "STATE",
                "WORK MHz·s", "AVG MHz", "RES MiB", "SHARED", "BALLOON", "SWAPPED", "ZERO", "IMAGE", "COMPR", "RANDOM"));
        double total = 0;
        for (VmLine v : vms) {
            total += v.workMhzSeconds();
            sb.append(String.format(Locale.ROOT, "%-12s %-16s %-8s %14.0f %9.0f %9d %8d %8d %8d %8d %8d %8d %8d%n", v.host(), v.vm(),
                    v.state(), v.workMhzSeconds(), seconds <= 0 ? 0 : v.workMhzSeconds() / seconds, v.residentMiB(),
                    v.sharedMiB(), v.balloonedMiB(), v.swappedMiB(), v.zeroMiB(), v.imageMiB(), v.compressibleMiB(),
                    v.randomMiB()));
        }
        sb.append(String.format(Locale.ROOT, "%d VMs (privileged domains included), %.0f MHz·s of CPU work during the run%n",
                vms.size(), total));
        sb.append(String.format(Locale.ROOT, "events during the run: %d%s%n", events.size(),
                events.size() > EVENTS_SHOWN ? " (last " + EVENTS_SHOWN + " shown)" : ""));
        for (HypervisorEvent e : events.subList(Math.max(0, events.size() - EVENTS_SHOWN), events.size())) {
            sb.append(String.format(Locale.ROOT, "  %s %-12s %s%n", Durations.format(e.clockMillis()), e.host(), e.message()));
        }
        return sb.toString();
    }
}
