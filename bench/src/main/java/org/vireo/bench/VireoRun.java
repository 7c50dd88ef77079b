package org.vireo.bench;

import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import org.vireo.api.cpu.CpuQosPolicy;
import org.vireo.api.hypervisor.HostSnapshot;
import org.vireo.api.hypervisor.HypervisorType;
import org.vireo.api.hypervisor.MemoryFigures;
import org.vireo.api.hypervisor.VmSnapshot;
import org.vireo.api.model.HostSpec;
import org.vireo.api.model.VmSpec;
import org.vireo.hypervisor.sim.engine.PolicySource;
import org.vireo.hypervisor.sim.engine.SimEngine;
import org.vireo.hypervisor.type.baremetal.BareMetalType;
import org.vireo.hypervisor.type.hosted.HostedType;
import org.vireo.hypervisor.type.hybrid.HybridType;

/**
 * The scenario on Vireo's sim engine, driven directly (no OSGi): hosts attached with their
 * type's profile, each VM placed on the host with the most free memory among those with free
 * cores (no CPU or memory overcommit, as in the CloudSim Plus run), then D hours in batch with
 * the CPU QoS policy and the memory policies given (reclaim every scheduling interval).
 */
final class VireoRun {
    /**
     * @param wallMillis placement and execution
     * @param cpuMillis process CPU time meanwhile
     * @param placeMillis placement alone
     * @param intervals scheduling intervals run
     * @param workMhzSeconds CPU work done by all guests
     * @param residentMiB guest memory resident at the end
     * @param dirtyMiB guest memory dirty at the end (dirty log never collected)
     * @param sharedSavedMiB host memory saved by page sharing at the end
     * @param balloonedMiB guest memory held by balloons at the end
     * @param swappedMiB guest memory in hypervisor swap at the end
     * @param sampledPeakHeap largest heap occupancy sampled
     * @param poolPeakHeap sum of the heap pools' peaks
     * @param collections garbage collections
     * @param gcMillis time in garbage collection
     * @param unplaced VMs that fitted no host
     */
    record Result(long wallMillis, long cpuMillis, long placeMillis, long intervals, double workMhzSeconds, long residentMiB, long dirtyMiB,
            long sharedSavedMiB, long balloonedMiB, long swappedMiB, long sampledPeakHeap, long poolPeakHeap, long collections, long gcMillis, int unplaced) {
    }

    private VireoRun() {
    }

    static Result run(BenchScenario scenario, long hours, long intervalMillis, long seed, int threads, CpuQosPolicy policy,
            MemoryPolicies memory) {
        try (HeapMeter heap = new HeapMeter()) {
            long start = System.nanoTime();
            SimEngine engine = new SimEngine(seed, intervalMillis, PolicySource.of(policy, memory.reclaim(), memory.strategies()),
                    threads);
            HypervisorType[] types = {new HostedType(), new BareMetalType(), new HybridType()};
            int hostCount = scenario.hosts().size();
            long[] freeMiB = new long[hostCount];
            int[] freeCores = new int[hostCount];
            long[] perVmMiB = new long[hostCount];
            PriorityQueue<Integer> byFreeMemory = new PriorityQueue<>(
                    Comparator.<Integer>comparingLong(i -> -freeMiB[i]).thenComparingInt(i -> i));
            for (int i = 0; i < hostCount; i++) {
                HostSpec h = scenario.hosts().get(i);
                HypervisorType type = types[h.type().ordinal()];
                var profile = type.profile(h);
                engine.attach(h, profile);
                freeMiB[i] = h.memoryMiB() - profile.reservedMemoryMiB();
                perVmMiB[i] = profile.perVmMemoryOverheadMiB();
                freeCores[i] = h.cores();
                byFreeMemory.add(i);
            }
            int unplaced = 0;
            java.util.ArrayDeque<Integer> skipped = new java.util.ArrayDeque<>();
            for (VmSpec vm : scenario.vms()) {
                Integer chosen = null;
                while (!byFreeMemory.isEmpty()) {
                    int i = byFreeMemory.poll();
                    long overhead = perVmMiB[i];
                    if (freeCores[i] >= vm.vcpus() && freeMiB[i] >= vm.memoryMiB() + overhead) {
                        freeCores[i] -= vm.vcpus();
                        freeMiB[i] -= vm.memoryMiB() + overhead;
                        chosen = i;
                        break;
                    }
                    skipped.add(i);
                }
                if (chosen == null) {
                    unplaced++;
                } else {
                    engine.start(scenario.hosts().get(chosen).name(), vm);
                    byFreeMemory.add(chosen);
                }
                byFreeMemory.addAll(skipped);
                skipped.clear();
            }
            long placed = System.nanoTime();
            long total = hours * 3_600_000L;
            long slice = Math.max(intervalMillis, total / 10);
            for (long done = 0; done < total;) {
                long step = Math.min(slice, total - done);
                engine.advance(step);
                done += step;
                System.err.printf("  vireo: %3d%% of %d h simulated, %.1f s wall%n", done * 100 / total, hours,
                        (System.nanoTime() - start) / 1e9);
            }
            long end = System.nanoTime();
            double work = 0;
            long resident = 0;
            long dirty = 0;
            long saved = 0;
            long ballooned = 0;
            long swapped = 0;
            for (HostSnapshot h : engine.snapshots()) {
                saved += h.sharedSavedPages();
                for (VmSnapshot v : h.vms()) {
                    if (h.profile().privilegedDomain() != null && h.profile().privilegedDomain().equals(v.name())) {
                        continue;
                    }
                    work += v.cpu().workMhzSeconds();
                    resident += v.memory().residentPages();
                    ballooned += v.memory().balloonedPages();
                    swapped += v.memory().swappedPages();
                }
            }
            for (String host : engine.hostNames()) {
                for (VmSnapshot v : engine.snapshot(host).vms()) {
                    if (!v.name().equals("Dom0")) {
                        dirty += engine.memory(host, v.name()).dirtyPages();
                    }
                }
            }
            long intervals = engine.intervals();
            engine.close();
            return new Result((end - start) / 1_000_000, heap.cpuMillis(), (placed - start) / 1_000_000, intervals, work,
                    MemoryFigures.toMiB(resident), MemoryFigures.toMiB(dirty), MemoryFigures.toMiB(saved), MemoryFigures.toMiB(ballooned),
                    MemoryFigures.toMiB(swapped), heap.sampledPeakBytes(), heap.poolPeakBytes(),
                    heap.collections(), heap.gcMillis(), unplaced);
        }
    }

    static List<String> models(boolean memoryReclaim) {
        return List.of(
                "per VM per interval: CPU demand drawn from its workload profile (bursty or steady), capacity divided by the",
                "  CPU QoS policy (reservations, limits, shares) and enforced work-conserving; hypervisor-type overheads (Dom0",
                "  / host-OS reservations, 2.5-12% CPU overhead, per-VM VMM memory); guest memory at 4 KiB page granularity:",
                "  content class per page (zero / OS-image page / compressible / random), written + dirty bitmaps, location",
                "  (private / shared / ballooned / swapped), the workload writing its working set at its dirty rate; I/O",
                "  figures; per-host event logs; " + (memoryReclaim
                        ? "memory reclaim every interval per host: the idle-tax policy's host state and requests, page"
                        : "no memory reclaim (--memory none): pages stay where the guests put them."),
                memoryReclaim ? "  sharing scanning (copy-on-write), ballooning and swapping carried out on the page model." : "");
    }
}
