package org.vireo.api.model;

import java.io.Serializable;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The definition of a physical host.
 *
 * @param name the host's name, unique in the inventory
 * @param cluster the cluster it belongs to
 * @param cores physical cores, 1 to 1024
 * @param mhzPerCore frequency of one core, 100 to 10,000 MHz
 * @param memoryMiB physical memory, 64 MiB to 64 TiB
 * @param type the hypervisor architecture the host runs
 * @param hypervisor the name of the {@code Hypervisor} implementation driving it, e.g.
 *        {@code sim} or {@code qemu}
 * @param cpuModel the host's CPU model
 * @param datastores the datastores it sees, at least one, names unique
 * @param nicMbps bandwidth of its physical NIC in Mbit/s
 * @since 1.0
 */
public record HostSpec(String name, String cluster, int cores, long mhzPerCore, long memoryMiB, HypervisorKind type,
        String hypervisor, CpuModel cpuModel, List<DatastoreSpec> datastores, long nicMbps) implements Serializable {
    /** The cluster of hosts added without one. */
    public static final String DEFAULT_CLUSTER = "default";
    /** The hypervisor used when none is named. */
    public static final String DEFAULT_HYPERVISOR = "sim";
    /** NIC bandwidth when none is given (10 GbE). */
    public static final long DEFAULT_NIC_MBPS = 10_000;
    /** The largest accepted host memory (64 TiB). */
    public static final long MAX_MEMORY_MIB = 64L * 1024 * 1024;

    /** Validates every field; see the record description for the rules. */
    public HostSpec {
        Check.name("host.name", name);
        Check.name("host.cluster", cluster);
        Check.range("host.cores", cores, 1, 1024);
        Check.range("host.mhzPerCore", mhzPerCore, 100, 10_000);
        Check.range("host.memoryMiB", memoryMiB, 64, MAX_MEMORY_MIB);
        Check.present("host.type", type);
        Check.name("host.hypervisor", hypervisor);
        Check.present("host.cpuModel", cpuModel);
        Check.present("host.datastores", datastores);
        if (datastores.isEmpty()) {
            throw new InvalidSpecException("host.datastores", "[]", "at least one datastore");
        }
        Set<String> seen = new HashSet<>();
        for (DatastoreSpec d : datastores) {
            if (!seen.add(d.name())) {
                throw new InvalidSpecException("host.datastores", d.name(), "unique datastore names");
            }
        }
        datastores = List.copyOf(datastores);
        Check.range("host.nicMbps", nicMbps, 1, 1_000_000);
    }

    /**
     * A host with the defaults for everything but its size and type: cluster {@code default},
     * hypervisor {@code sim}, CPU model {@code qemu64}, one local datastore, 10 GbE.
     *
     * @param name the host's name
     * @param cores physical cores
     * @param mhzPerCore MHz per core
     * @param memoryMiB physical memory
     * @param type the hypervisor kind
     * @return the host definition
     */
    public static HostSpec of(String name, int cores, long mhzPerCore, long memoryMiB, HypervisorKind type) {
        return new HostSpec(name, DEFAULT_CLUSTER, cores, mhzPerCore, memoryMiB, type, DEFAULT_HYPERVISOR,
                CpuModel.DEFAULT, List.of(DatastoreSpec.LOCAL), DEFAULT_NIC_MBPS);
    }

    /** @return total CPU capacity: cores × MHz per core */
    public long capacityMhz() {
        return cores * mhzPerCore;
    }

    /**
     * @param newHypervisor the hypervisor implementation's name
     * @return a copy driven by {@code newHypervisor}
     */
    public HostSpec withHypervisor(String newHypervisor) {
        return new HostSpec(name, cluster, cores, mhzPerCore, memoryMiB, type, newHypervisor, cpuModel, datastores, nicMbps);
    }

    /**
     * @param model the CPU model
     * @return a copy with another CPU model
     */
    public HostSpec withCpuModel(CpuModel model) {
        return new HostSpec(name, cluster, cores, mhzPerCore, memoryMiB, type, hypervisor, model, datastores, nicMbps);
    }

    /**
     * @param newCluster the cluster
     * @return a copy in another cluster
     */
    public HostSpec withCluster(String newCluster) {
        return new HostSpec(name, newCluster, cores, mhzPerCore, memoryMiB, type, hypervisor, cpuModel, datastores, nicMbps);
    }

    /**
     * @param name a datastore name
     * @return whether the host sees that datastore
     */
    public boolean hasDatastore(String name) {
        return datastores.stream().anyMatch(d -> d.name().equals(name));
    }
}
