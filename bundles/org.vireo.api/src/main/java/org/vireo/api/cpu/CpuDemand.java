package org.vireo.api.cpu;

import java.io.Serializable;
import org.vireo.api.model.CpuQos;

/**
 * One runnable VM as a CPU policy sees it.
 *
 * @param vm the VM's name
 * @param vcpus its virtual CPUs
 * @param qos its limit, reservation and shares
 * @param demandMhz what its workload wants this interval (0 if idle)
 * @since 1.0
 */
public record CpuDemand(String vm, int vcpus, CpuQos qos, double demandMhz) implements Serializable {
}
