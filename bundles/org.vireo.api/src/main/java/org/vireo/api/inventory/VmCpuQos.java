package org.vireo.api.inventory;

import java.io.Serializable;

/**
 * One VM's row of {@code qos:show}: its CPU settings and what it wanted, was granted and got.
 *
 * @param vm the VM's name
 * @param vcpus its virtual CPUs
 * @param limitMhz its limit, or {@code null} for unlimited
 * @param reservationMhz its reservation
 * @param shares its shares
 * @param demandMhz what its workload wanted over the last interval
 * @param entitlementMhz what the active policy grants it now
 * @param usedMhz what it got over the last interval
 * @since 1.0
 */
public record VmCpuQos(String vm, int vcpus, Long limitMhz, long reservationMhz, int shares, double demandMhz,
        double entitlementMhz, double usedMhz) implements Serializable {
}
