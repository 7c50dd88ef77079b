package org.vireo.hypervisor.sim.engine;

import org.vireo.api.hypervisor.CpuFigures;
import org.vireo.api.hypervisor.IoFigures;
import org.vireo.api.hypervisor.MemoryFigures;
import org.vireo.api.hypervisor.VmSnapshot;
import org.vireo.api.memory.VmMemory;
import org.vireo.api.model.CpuQos;
import org.vireo.api.model.VmSpec;
import org.vireo.api.model.VmState;

/**
 * One running (or paused) guest: its workload, memory and the figures of its last interval.
 * The figures a step needs are copied into plain fields and the random stream (SplitMix64) is
 * kept inline, so that stepping ten thousand guests touches as little memory as possible.
 */
final class SimVm {
    private static final int PAGES_PER_MIB = MemoryFigures.PAGES_PER_MIB;
    private static final long GOLDEN = 0x9e3779b97f4a7c15L;

    VmSpec spec;
    VmState state;
    final WorkloadProfile profile;
    final GuestMemory memory;
    final long startedAt;
    final int vcpus;
    private final double cpuMean;
    private final double cpuPeak;
    private final boolean bursty;
    private final double dirtyPagesPerSecond;
    private final long workingSetPages;
    /** What faulting one swapped page back costs: the access latency of the swap file's datastore. */
    final long swapLatencyMicros;
    private long randomState;
    /** Whether the last write found the whole working set written, dirty and private. */
    private boolean memoryQuiet;
    /**
     * The VM's memory as the memory policies see it, kept while neither its pages nor its memory
     * QoS change: between two reclaim rounds most guests' memory is quiet, and reading it afresh
     * would touch every guest's page counters once per round.
     */
    private VmMemory memoryView;
    /**
     * Pages the sharing scanner examined since the VM's memory last changed, all without merging
     * one: once that is a whole pass over its memory, nothing is left to merge until it changes,
     * and the scanner rests on this VM.
     */
    private long scannedInVain;
    /** Its name, read by the CPU and memory policies every interval. */
    final String name;
    /** Its CPU QoS, read by the CPU policy every interval: kept here, next to the figures the interval touches anyway. */
    CpuQos cpu;

    double demandMhz;
    double entitledMhz;
    double usedMhz;
    double readyPercent;
    double workMhzSeconds;
    long dirtiedPages;
    double diskReadMiBps;
    double diskWriteMiBps;
    double netRxMbps;
    double netTxMbps;
    /** Swapped pages the workload touched last interval, each read back from the swap file. */
    long swapFaultsLastInterval;
    /** vCPU time spent waiting for those reads last interval, seconds. */
    double swapWaitSeconds;

    SimVm(VmSpec spec, long seed, long startedAt, long swapLatencyMicros) {
        this.spec = spec;
        this.name = spec.name();
        this.cpu = spec.cpu();
        this.state = VmState.RUNNING;
        long pages = spec.memoryMiB() * PAGES_PER_MIB;
        this.profile = WorkloadProfile.of(spec.workload(), pages);
        this.randomState = seed;
        this.memory = new GuestMemory(pages, spec.image(), profile, Seeds.mix(seed));
        this.startedAt = startedAt;
        this.vcpus = spec.vcpus();
        this.cpuMean = profile.cpuMean();
        this.cpuPeak = profile.cpuPeak();
        this.bursty = profile.bursty();
        this.dirtyPagesPerSecond = profile.dirtyPagesPerSecond();
        this.workingSetPages = memory.workingSetPages();
        this.swapLatencyMicros = swapLatencyMicros;
    }

    String name() {
        return name;
    }

    /**
     * Takes a new CPU and memory QoS, from the next interval on.
     *
     * @param qos the VM's definition with the new QoS
     */
    void reconfigure(VmSpec qos) {
        spec = spec.withCpu(qos.cpu()).withMemory(qos.memory());
        cpu = spec.cpu();
        memoryChanged();
    }

    /** Its pages or its memory QoS may have changed: the next write looks at its memory again, the next view is read afresh. */
    void memoryChanged() {
        memoryQuiet = false;
        memoryView = null;
        scannedInVain = 0;
    }

    /**
     * Page sharing: see {@link GuestMemory#shareScan}; at rest while a whole pass since the
     * memory last changed merged nothing (another pass could merge nothing either).
     *
     * @param budget pages to examine
     * @param sharing the host's shared pages
     * @return pages newly shared
     */
    long shareScan(long budget, SharingTable sharing) {
        if (scannedInVain >= memory.pages()) {
            return 0;
        }
        long merged = memory.shareScan(budget, sharing);
        scannedInVain = merged == 0 ? scannedInVain + Math.max(0, budget) : 0;
        return merged;
    }

    /** @return its memory as the reclaim policy and the reuse strategies see it */
    VmMemory memoryView() {
        VmMemory view = memoryView;
        if (view == null) {
            GuestMemory m = memory;
            long shared = m.pagesIn(PageLocation.SHARED);
            view = new VmMemory(name(), m.pages(), spec.memory().reservationMiB() * PAGES_PER_MIB, spec.memory().shares(),
                    m.pagesIn(PageLocation.PRIVATE) + shared, shared, m.pagesIn(PageLocation.BALLOONED),
                    m.pagesIn(PageLocation.SWAPPED), m.pages() == 0 ? 0 : (double) m.activePages() / m.pages());
            memoryView = view;
        }
        return view;
    }

    private long nextLong() {
        return Seeds.mix(randomState += GOLDEN);
    }

    private double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Draws this interval's CPU demand, as a fraction of the VM's vCPU capacity. */
    double drawDemandFraction() {
        double u = nextDouble();
        if (cpuPeak <= cpuMean) {
            return cpuMean;
        }
        if (bursty) {
            double base = cpuMean / 2;
            double p = (cpuMean - base) / (cpuPeak - base);
            return u < p ? cpuPeak : base;
        }
        double spread = Math.min(0.1 * cpuMean, cpuPeak - cpuMean);
        return cpuMean + spread * (2 * u - 1);
    }

    /** Records an interval of no CPU (paused). */
    void idle() {
        demandMhz = 0;
        entitledMhz = 0;
        usedMhz = 0;
        readyPercent = 0;
        dirtiedPages = 0;
        diskReadMiBps = 0;
        diskWriteMiBps = 0;
        netRxMbps = 0;
        netTxMbps = 0;
        swapFaultsLastInterval = 0;
        swapWaitSeconds = 0;
    }

    /**
     * Books one interval: memory writes within the working set, CPU work, I/O. A write that
     * touches a swapped page faults it back from the swap file: the vCPU waits the datastore's
     * latency, so the VM does less work with the CPU it was given (the scheduler's division is
     * not redone, so no neighbour gains or loses anything by it).
     *
     * @param entitled what the policy granted
     * @param used what the VM got
     * @param coreMhz one core's MHz
     * @param seconds interval length
     * @param sharing the host's shared pages
     */
    void book(double entitled, double used, double coreMhz, double seconds, SharingTable sharing) {
        entitledMhz = entitled;
        double wanted = demandMhz;
        double activity = wanted <= 0 ? 1 : Math.min(1, used / wanted);
        double vcpuMhz = vcpus * coreMhz;
        readyPercent = Math.max(0, Math.min(100, (wanted - used) / vcpuMhz * 100));
        long toWrite = (long) (dirtyPagesPerSecond * seconds * activity);
        long offset = (nextLong() >>> 1) % workingSetPages;
        long faultsBefore = memory.swapFaults();
        if (toWrite <= 0) {
            dirtiedPages = 0;
        } else if (memoryQuiet) {
            dirtiedPages = Math.min(toWrite, workingSetPages);
        } else {
            dirtiedPages = memory.writeWorkingSet(offset, toWrite, sharing);
            memoryChanged();
            memoryQuiet = memory.quiet();
        }
        swapFaultsLastInterval = memory.swapFaults() - faultsBefore;
        swapWaitSeconds = swapFaultsLastInterval * (swapLatencyMicros / 1e6);
        // the faults are spread over the VM's vCPUs; each waits while its page is read back
        double stalled = swapWaitSeconds <= 0 ? 0 : Math.min(1, swapWaitSeconds / (seconds * vcpus));
        usedMhz = used * (1 - stalled);
        workMhzSeconds += usedMhz * seconds;
        double io = activity * (0.8 + 0.4 * nextDouble()) * (cpuMean <= 0 ? 0 : Math.min(1.5, wanted / vcpuMhz / cpuMean));
        diskReadMiBps = profile.diskReadMiBps() * io;
        diskWriteMiBps = profile.diskWriteMiBps() * io;
        netRxMbps = profile.netRxMbps() * io;
        netTxMbps = profile.netTxMbps() * io;
    }

    VmSnapshot snapshot(String detail) {
        GuestMemory m = memory;
        MemoryFigures mem = new MemoryFigures(m.pages(), m.residentPages(), m.pagesIn(PageLocation.SHARED),
                m.pagesIn(PageLocation.BALLOONED), m.pagesIn(PageLocation.SWAPPED), m.activePages(),
                m.residentByContent());
        return new VmSnapshot(spec, state, new CpuFigures(demandMhz, entitledMhz, usedMhz, readyPercent, workMhzSeconds),
                mem, new IoFigures(diskReadMiBps, diskWriteMiBps, netRxMbps, netTxMbps), detail);
    }
}
