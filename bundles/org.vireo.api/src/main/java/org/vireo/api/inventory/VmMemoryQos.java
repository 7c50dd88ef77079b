package org.vireo.api.inventory;

import java.io.Serializable;

/**
 * One VM's row of {@code mem:show}, in MiB.
 *
 * @param vm the VM's name
 * @param configuredMiB configured memory
 * @param reservedMiB memory reservation
 * @param shares memory shares
 * @param residentMiB memory backed by the host
 * @param sharedMiB memory mapped to shared host pages
 * @param balloonedMiB memory held by the balloon
 * @param swappedMiB memory in hypervisor swap
 * @param activeMiB memory touched recently
 * @since 1.0
 */
public record VmMemoryQos(String vm, long configuredMiB, long reservedMiB, int shares, long residentMiB, long sharedMiB,
        long balloonedMiB, long swappedMiB, long activeMiB) implements Serializable {
}
