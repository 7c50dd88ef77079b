package org.vireo.hypervisor.qemu;

import java.time.Duration;
import java.util.List;

/**
 * A QEMU process's figures, read from {@code /proc} at each sample and turned into rates over the
 * interval since the previous sample: CPU time ({@code stat} utime+stime) into MHz, vCPU run-queue
 * wait ({@code schedstat}) into ready percent, block I/O ({@code io}) into MiB/s; resident and
 * swapped memory ({@code status}) and KSM-merged pages as they are.
 */
final class Sampler {
    private static final double MIB = 1024.0 * 1024.0;

    private final ProcFs proc;
    private final long pid;
    private final double hostMhz;

    private long lastNanos = -1;
    private long lastTicks = -1;
    private long lastRunDelay = -1;
    private long lastRead = -1;
    private long lastWrite = -1;

    private volatile double usedMhz;
    private volatile boolean rated;
    private volatile double readyPercentAllVcpus;
    private volatile double workMhzSeconds;
    private volatile long residentPages;
    private volatile long swappedPages;
    private volatile long ksmPages;
    private volatile double readMiBps;
    private volatile double writeMiBps;

    /**
     * @param proc the proc reader
     * @param pid the QEMU process
     * @param hostMhz MHz of one host core
     */
    Sampler(ProcFs proc, long pid, double hostMhz) {
        this.proc = proc;
        this.pid = pid;
        this.hostMhz = hostMhz;
    }

    /** @return whether a sample is due */
    synchronized boolean due(long nowNanos, Duration interval) {
        return lastNanos < 0 || nowNanos - lastNanos >= interval.toNanos();
    }

    /**
     * @param nowNanos the time of this sample
     * @param vcpuThreads the vCPU threads (for the ready time); all threads when empty
     */
    synchronized void sample(long nowNanos, List<Long> vcpuThreads) {
        var stat = proc.stat(pid);
        if (stat.isEmpty()) {
            return;
        }
        long ticks = stat.get().cpuTicks();
        long runDelay = 0;
        for (long tid : vcpuThreads.isEmpty() ? proc.threads(pid) : vcpuThreads) {
            long d = proc.runDelayNanos(pid, tid);
            runDelay += Math.max(0, d);
        }
        long read = proc.ioBytes(pid, "read_bytes");
        long write = proc.ioBytes(pid, "write_bytes");
        workMhzSeconds = (double) ticks / ProcFs.CLOCK_TICKS * hostMhz;
        if (lastNanos >= 0 && nowNanos > lastNanos) {
            double seconds = (nowNanos - lastNanos) / 1e9;
            usedMhz = Math.max(0, (ticks - lastTicks) / (double) ProcFs.CLOCK_TICKS / seconds * hostMhz);
            readyPercentAllVcpus = Math.max(0, (runDelay - lastRunDelay) / 1e9 / seconds * 100);
            readMiBps = read >= 0 && lastRead >= 0 ? Math.max(0, (read - lastRead) / MIB / seconds) : 0;
            writeMiBps = write >= 0 && lastWrite >= 0 ? Math.max(0, (write - lastWrite) / MIB / seconds) : 0;
            rated = true;
        }
        lastNanos = nowNanos;
        lastTicks = ticks;
        lastRunDelay = runDelay;
        lastRead = read;
        lastWrite = write;
        residentPages = Math.max(0, proc.statusKiB(pid, "VmRSS")) / 4;
        swappedPages = Math.max(0, proc.statusKiB(pid, "VmSwap")) / 4;
        ksmPages = Math.max(0, proc.ksmMergingPages(pid));
    }

    double hostMhz() {
        return hostMhz;
    }

    double usedMhz() {
        return usedMhz;
    }

    /** @return whether two samples have been taken, so that the rates mean something */
    boolean rated() {
        return rated;
    }

    /** @return the time the vCPU threads waited for a host CPU over the last interval, in MHz of one core */
    double readyMhz() {
        return readyPercentAllVcpus / 100 * hostMhz;
    }

    /**
     * @param vcpus the VM's vCPUs
     * @return the share of the interval its vCPUs waited for a host CPU, 0..100
     */
    double readyPercent(int vcpus) {
        return Math.min(100, readyPercentAllVcpus / Math.max(1, vcpus));
    }

    double workMhzSeconds() {
        return workMhzSeconds;
    }

    long residentPages() {
        return residentPages;
    }

    long swappedPages() {
        return swappedPages;
    }

    long ksmPages() {
        return ksmPages;
    }

    double readMiBps() {
        return readMiBps;
    }

    double writeMiBps() {
        return writeMiBps;
    }
}
