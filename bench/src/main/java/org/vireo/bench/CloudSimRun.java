package org.vireo.bench;

import ch.qos.logback.classic.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.cloudsimplus.allocationpolicies.VmAllocationPolicySimple;
import org.cloudsimplus.brokers.DatacenterBrokerSimple;
import org.cloudsimplus.cloudlets.Cloudlet;
import org.cloudsimplus.cloudlets.CloudletSimple;
import org.cloudsimplus.core.CloudSimPlus;
import org.cloudsimplus.datacenters.DatacenterSimple;
import org.cloudsimplus.hosts.Host;
import org.cloudsimplus.hosts.HostSimple;
import org.cloudsimplus.resources.Pe;
import org.cloudsimplus.resources.PeSimple;
import org.cloudsimplus.schedulers.cloudlet.CloudletSchedulerTimeShared;
import org.cloudsimplus.schedulers.vm.VmSchedulerTimeShared;
import org.cloudsimplus.util.Log;
import org.cloudsimplus.utilizationmodels.UtilizationModelAbstract;
import org.cloudsimplus.utilizationmodels.UtilizationModelDynamic;
import org.cloudsimplus.vms.Vm;
import org.cloudsimplus.vms.VmSimple;
import org.vireo.api.model.HostSpec;
import org.vireo.api.model.VmSpec;
import org.vireo.hypervisor.sim.engine.Seeds;
import org.vireo.hypervisor.sim.engine.WorkloadProfile;

/**
 * The same scenario in CloudSim Plus: one datacenter with the same hosts (a PE of 2400 MIPS per
 * core, time-shared VM scheduler), the same VMs (a PE of 2400 MIPS per vCPU, time-shared
 * cloudlet scheduler), each running one cloudlet that never finishes within the run and whose
 * CPU utilization follows the same workload model (same means, peaks and bursts); placement by
 * CloudSim Plus's VmAllocationPolicySimple; the datacenter updates processing every scheduling
 * interval; the simulation ends at D hours.
 */
final class CloudSimRun {
    /**
     * @param wallMillis placement and execution
     * @param cpuMillis process CPU time meanwhile
     * @param workMi instructions executed by all cloudlets, million (≈ MHz·s)
     * @param vmsCreated VMs CloudSim Plus placed
     * @param sampledPeakHeap largest heap occupancy sampled
     * @param poolPeakHeap sum of the heap pools' peaks
     * @param collections garbage collections
     */
    record Result(long wallMillis, long cpuMillis, double workMi, int vmsCreated, long sampledPeakHeap, long poolPeakHeap, long collections) {
    }

    /** CPU utilization drawn from the Vireo workload model, one draw per distinct update time. */
    private static final class WorkloadUtilization extends UtilizationModelAbstract {
        private final WorkloadProfile profile;
        private final SplittableRandom random;
        private double lastTime = -1;
        private double last;

        WorkloadUtilization(WorkloadProfile profile, long seed) {
            this.profile = profile;
            this.random = new SplittableRandom(seed);
        }

        @Override
        protected double getUtilizationInternal(double time) {
            if (time != lastTime) {
                lastTime = time;
                double mean = profile.cpuMean();
                double peak = profile.cpuPeak();
                double u = random.nextDouble();
                if (peak <= mean) {
                    last = mean;
                } else if (profile.bursty()) {
                    double base = mean / 2;
                    last = u < (mean - base) / (peak - base) ? peak : base;
                } else {
                    double spread = Math.min(0.1 * mean, peak - mean);
                    last = mean + spread * (2 * u - 1);
                }
            }
            return last;
        }
    }

    private CloudSimRun() {
    }

    static Result run(BenchScenario scenario, long hours, long intervalMillis, long seed) {
        Log.setLevel(Level.ERROR);
        try (HeapMeter heap = new HeapMeter()) {
            long start = System.nanoTime();
            CloudSimPlus simulation = new CloudSimPlus();
            List<Host> hosts = new ArrayList<>();
            for (HostSpec h : scenario.hosts()) {
                List<Pe> pes = new ArrayList<>(h.cores());
                for (int c = 0; c < h.cores(); c++) {
                    pes.add(new PeSimple(h.mhzPerCore()));
                }
                Host host = new HostSimple(h.memoryMiB(), h.nicMbps(), 1_000_000, pes);
                host.setVmScheduler(new VmSchedulerTimeShared());
                hosts.add(host);
            }
            DatacenterSimple dc = new DatacenterSimple(simulation, hosts, new VmAllocationPolicySimple());
            dc.setSchedulingInterval(intervalMillis / 1000.0);
            DatacenterBrokerSimple broker = new DatacenterBrokerSimple(simulation);
            List<Vm> vms = new ArrayList<>();
            List<Cloudlet> cloudlets = new ArrayList<>();
            double seconds = hours * 3600.0;
            for (VmSpec v : scenario.vms()) {
                Vm vm = new VmSimple(BenchScenario.MHZ, v.vcpus(), new CloudletSchedulerTimeShared());
                vm.setRam(v.memoryMiB()).setBw(100).setSize(10_000);
                vms.add(vm);
                WorkloadProfile profile = WorkloadProfile.of(v.workload(), v.memoryMiB() * 256);
                long length = (long) (BenchScenario.MHZ * seconds * 2);
                Cloudlet cl = new CloudletSimple(length, v.vcpus(), new WorkloadUtilization(profile, Seeds.of(seed, v.name())));
                cl.setUtilizationModelRam(new UtilizationModelDynamic((double) profile.workingSetPages() / (v.memoryMiB() * 256)));
                cl.setUtilizationModelBw(new UtilizationModelDynamic(0.01));
                cl.setVm(vm);
                cloudlets.add(cl);
            }
            broker.submitVmList(vms);
            broker.submitCloudletList(cloudlets);
            double[] next = {seconds / 10};
            simulation.addOnClockTickListener(info -> {
                if (info.getTime() >= next[0]) {
                    System.err.printf("  cloudsim: %3.0f%% of %d h simulated, %.1f s wall%n", info.getTime() * 100 / seconds, hours,
                            (System.nanoTime() - start) / 1e9);
                    next[0] += seconds / 10;
                }
            });
            simulation.terminateAt(seconds);
            simulation.start();
            long end = System.nanoTime();
            double work = 0;
            for (Cloudlet cl : cloudlets) {
                // a cloudlet's length is per PE: its total work is that times its PEs
                work += (double) cl.getFinishedLengthSoFar() * cl.getPesNumber();
            }
            return new Result((end - start) / 1_000_000, heap.cpuMillis(), work, broker.getVmCreatedList().size(), heap.sampledPeakBytes(),
                    heap.poolPeakBytes(), heap.collections());
        }
    }

    static List<String> models() {
        return List.of(
                "per VM per interval: cloudlet progress in MI at utilization × VM MIPS under a time-shared VM scheduler",
                "  (MIPS per PE, no QoS reservations/limits/shares, no hypervisor overhead); RAM and bandwidth as utilization",
                "  fractions (no page model, no content, no dirtying); VM placement by VmAllocationPolicySimple (fewest PEs",
                "  in use); event-driven core with a future event queue.");
    }
}
