package org.vireo.api.cpu;

import java.io.Serializable;

/**
 * A policy's decision for one VM for one interval.
 *
 * @param vm the VM's name
 * @param entitledMhz the CPU the VM is to receive this interval
 * @param capMhz a hard ceiling the enforcement must apply even when the host has idle capacity
 *        (a limit or a credit cap), or {@link Double#POSITIVE_INFINITY} for none
 * @param weight the VM's relative weight for enforcement mechanisms that divide leftover
 *        capacity proportionally (cgroup shares/weight)
 * @since 1.0
 */
public record CpuEntitlement(String vm, double entitledMhz, double capMhz, long weight) implements Serializable {
}
