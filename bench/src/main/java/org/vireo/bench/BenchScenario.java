package org.vireo.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.vireo.api.model.CpuModel;
import org.vireo.api.model.CpuQos;
import org.vireo.api.model.DatastoreSpec;
import org.vireo.api.model.HostSpec;
import org.vireo.api.model.HypervisorKind;
import org.vireo.api.model.MemoryQos;
import org.vireo.api.model.VmSpec;
import org.vireo.api.model.WorkloadSpec;

/**
 * A generated data centre: identical hosts of 64 cores × 2400 MHz and 128 GiB, their type
 * cycling hybrid, bare-metal, hosted; VMs with a mix of workloads (web 35%, desktop 25%, db 15%,
 * idle 15%, batch 10%), vCPUs (1: 30%, 2: 40%, 4: 25%, 8: 5%), memory (1 GiB 25%, 2 GiB 35%,
 * 4 GiB 30%, 8 GiB 10%) and images (debian-12 50%, ubuntu-22.04 30%, windows-2022 20%). db VMs
 * reserve a quarter of their vCPUs' MHz with 2000 shares; batch VMs are limited to three
 * quarters with 500 shares. A pure function of its arguments.
 *
 * @param hosts the hosts
 * @param vms the VMs
 */
record BenchScenario(List<HostSpec> hosts, List<VmSpec> vms) {
    static final int CORES = 64;
    static final long MHZ = 2400;
    static final long HOST_MIB = 128 * 1024;

    static BenchScenario generate(int hostCount, int vmCount, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        HypervisorKind[] kinds = {HypervisorKind.HYBRID, HypervisorKind.BAREMETAL, HypervisorKind.HOSTED};
        List<HostSpec> hosts = new ArrayList<>(hostCount);
        for (int i = 0; i < hostCount; i++) {
            hosts.add(new HostSpec(String.format("host-%04d", i), "bench", CORES, MHZ, HOST_MIB, kinds[i % 3], "sim",
                    CpuModel.DEFAULT, List.of(DatastoreSpec.LOCAL), HostSpec.DEFAULT_NIC_MBPS));
        }
        List<VmSpec> vms = new ArrayList<>(vmCount);
        for (int i = 0; i < vmCount; i++) {
            String workload = pick(random, new String[] {"web", "desktop", "db", "idle", "batch"}, new int[] {35, 25, 15, 15, 10});
            int vcpus = pick(random, new Integer[] {1, 2, 4, 8}, new int[] {30, 40, 25, 5});
            long memory = pick(random, new Long[] {1024L, 2048L, 4096L, 8192L}, new int[] {25, 35, 30, 10});
            String image = pick(random, new String[] {"debian-12", "ubuntu-22.04", "windows-2022"}, new int[] {50, 30, 20});
            CpuQos cpu = switch (workload) {
                case "db" -> new CpuQos(null, vcpus * MHZ / 4, 2000);
                case "batch" -> new CpuQos(vcpus * MHZ * 3 / 4, 0, 500);
                default -> CpuQos.DEFAULT;
            };
            vms.add(new VmSpec(String.format("vm-%05d", i), vcpus, memory, cpu, MemoryQos.DEFAULT, List.of(), List.of(),
                    new WorkloadSpec(workload, Map.of()), image));
        }
        return new BenchScenario(hosts, vms);
    }

    private static <T> T pick(SplittableRandom random, T[] values, int[] weights) {
        int total = 0;
        for (int w : weights) {
            total += w;
        }
        int r = random.nextInt(total);
        for (int i = 0; i < values.length; i++) {
            r -= weights[i];
            if (r < 0) {
                return values[i];
            }
        }
        return values[values.length - 1];
    }
}
