package org.vireo.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/**
 * Peak heap over a measured section: the largest heap occupancy sampled every 10 ms
 * ({@code MemoryMXBean}) and the sum of the heap pools' own peaks (an upper bound), plus the
 * collections the GC beans counted, and the process's CPU time (a fairer measure than wall time
 * when other processes share the machine).
 */
final class HeapMeter implements AutoCloseable {
    private final Thread sampler;
    private volatile boolean running = true;
    private volatile long sampledPeak;
    private final long gcCountBefore;
    private final long gcMillisBefore;
    private final long cpuNanosBefore;

    HeapMeter() {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
        gcCountBefore = gcCount();
        gcMillisBefore = gcMillis();
        cpuNanosBefore = processCpuNanos();
        sampler = new Thread(() -> {
            while (running) {
                long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                if (used > sampledPeak) {
                    sampledPeak = used;
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    long sampledPeakBytes() {
        return sampledPeak;
    }

    long poolPeakBytes() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    /** @return CPU time of the whole process since the meter started (all threads, GC included) */
    long cpuMillis() {
        return (processCpuNanos() - cpuNanosBefore) / 1_000_000;
    }

    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }

    long collections() {
        return gcCount() - gcCountBefore;
    }

    long gcMillis() {
        long sum = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            sum += Math.max(0, gc.getCollectionTime());
        }
        return sum - (sampler == null ? 0 : gcMillisBefore);
    }

    private static long gcCount() {
        long sum = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            sum += Math.max(0, gc.getCollectionCount());
        }
        return sum;
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
    }
}
