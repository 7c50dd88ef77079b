package org.vireo.api.cpu;

import java.io.Serializable;
import java.util.List;

/**
 * A host's CPU at the start of a scheduling interval.
 *
 * @param host the host's name
 * @param capacityMhz CPU available to guests: cores × MHz less what the hypervisor reserves
 *        for itself and its virtualization overhead
 * @param coreMhz the frequency of one core (a vCPU never runs faster)
 * @param vms the runnable VMs (paused and stopped VMs are not listed)
 * @since 1.0
 */
public record CpuSnapshot(String host, double capacityMhz, double coreMhz, List<CpuDemand> vms) implements Serializable {
    /** Copies the list. */
    public CpuSnapshot {
        vms = List.copyOf(vms);
    }
}
