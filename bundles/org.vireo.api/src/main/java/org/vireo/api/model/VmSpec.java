package org.vireo.api.model;

import java.io.Serializable;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The definition of a virtual machine: what is saved in its {@code vm.json}, and all a
 * hypervisor needs to run it.
 *
 * @param name the VM's name, unique in the inventory; names its directory
 * @param vcpus virtual CPUs, 1 to 256
 * @param memoryMiB configured memory, 16 MiB to 4 TiB
 * @param cpu CPU QoS
 * @param memory memory QoS; its reservation must not exceed {@code memoryMiB}
 * @param disks virtual disks, names unique
 * @param nics network interfaces, names unique
 * @param workload what the VM does once running
 * @param image the OS image it boots; VMs booted from the same image share its pages
 * @since 1.0
 */
public record VmSpec(String name, int vcpus, long memoryMiB, CpuQos cpu, MemoryQos memory, List<DiskSpec> disks,
        List<NicSpec> nics, WorkloadSpec workload, String image) implements Serializable {
    /** The largest number of vCPUs accepted. */
    public static final int MAX_VCPUS = 256;
    /** The largest memory accepted (4 TiB). */
    public static final long MAX_MEMORY_MIB = 4L * 1024 * 1024;
    /** The image used when none is named. */
    public static final String DEFAULT_IMAGE = "debian-12";

    /** Validates every field; see the record description for the rules. */
    public VmSpec {
        Check.name("vm.name", name);
        Check.range("vcpus", vcpus, 1, MAX_VCPUS);
        Check.range("memoryMiB", memoryMiB, 16, MAX_MEMORY_MIB);
        cpu = cpu == null ? CpuQos.DEFAULT : cpu;
        memory = memory == null ? MemoryQos.DEFAULT : memory;
        if (memory.reservationMiB() > memoryMiB) {
            throw new InvalidSpecException("memory.reservationMiB", memory.reservationMiB(),
                    "at most the VM's memory of " + memoryMiB + " MiB");
        }
        disks = List.copyOf(disks == null ? List.of() : disks);
        nics = List.copyOf(nics == null ? List.of() : nics);
        Set<String> seen = new HashSet<>();
        for (DiskSpec d : disks) {
            if (!seen.add(d.name())) {
                throw new InvalidSpecException("disks", d.name(), "unique disk names");
            }
        }
        seen.clear();
        for (NicSpec n : nics) {
            if (!seen.add(n.name())) {
                throw new InvalidSpecException("nics", n.name(), "unique NIC names");
            }
        }
        workload = workload == null ? WorkloadSpec.IDLE : workload;
        Check.name("image", image == null ? DEFAULT_IMAGE : image);
        image = image == null ? DEFAULT_IMAGE : image;
    }

    /**
     * A VM with default QoS, no disks, no NICs, idle workload and the default image.
     *
     * @param name the VM's name
     * @param vcpus virtual CPUs
     * @param memoryMiB configured memory
     * @return the definition
     */
    public static VmSpec of(String name, int vcpus, long memoryMiB) {
        return new VmSpec(name, vcpus, memoryMiB, CpuQos.DEFAULT, MemoryQos.DEFAULT, List.of(), List.of(), WorkloadSpec.IDLE, DEFAULT_IMAGE);
    }

    /**
     * @param newName the new name
     * @return a copy under another name (disks unchanged)
     */
    public VmSpec withName(String newName) {
        return new VmSpec(newName, vcpus, memoryMiB, cpu, memory, disks, nics, workload, image);
    }

    /**
     * @param qos the CPU QoS
     * @return a copy with other CPU QoS
     */
    public VmSpec withCpu(CpuQos qos) {
        return new VmSpec(name, vcpus, memoryMiB, qos, memory, disks, nics, workload, image);
    }

    /**
     * @param qos the memory QoS
     * @return a copy with other memory QoS
     */
    public VmSpec withMemory(MemoryQos qos) {
        return new VmSpec(name, vcpus, memoryMiB, cpu, qos, disks, nics, workload, image);
    }

    /**
     * @param newDisks the disks
     * @return a copy with other disks
     */
    public VmSpec withDisks(List<DiskSpec> newDisks) {
        return new VmSpec(name, vcpus, memoryMiB, cpu, memory, newDisks, nics, workload, image);
    }

    /**
     * @param newWorkload the workload
     * @return a copy with another workload
     */
    public VmSpec withWorkload(WorkloadSpec newWorkload) {
        return new VmSpec(name, vcpus, memoryMiB, cpu, memory, disks, nics, newWorkload, image);
    }
}
