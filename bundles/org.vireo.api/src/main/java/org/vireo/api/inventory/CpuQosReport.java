package org.vireo.api.inventory;

import java.io.Serializable;
import java.util.List;

/**
 * A host's CPU QoS as {@code qos:show} presents it.
 *
 * @param host the host's name
 * @param policy the active CPU policy's name, or empty when none is installed
 * @param capacityMhz CPU available to guests
 * @param reservedMhz the sum of the reservations of the VMs holding resources
 * @param vms one row per VM holding resources on the host
 * @param warnings settings the active policy does not honour
 * @since 1.0
 */
public record CpuQosReport(String host, String policy, double capacityMhz, long reservedMhz, List<VmCpuQos> vms,
        List<String> warnings) implements Serializable {
    /** Copies the lists. */
    public CpuQosReport {
        vms = List.copyOf(vms);
        warnings = List.copyOf(warnings);
    }
}
