package org.vireo.api.model;

import java.io.Serializable;

/**
 * Memory quality of service of a VM.
 *
 * @param reservationMiB memory that is never reclaimed from the VM (ballooned, swapped); at most
 *        the VM's configured memory (checked by {@link VmSpec})
 * @param shares the VM's relative right to memory under pressure, from 1 to 1,000,000
 * @since 1.0
 */
public record MemoryQos(long reservationMiB, int shares) implements Serializable {
    /** Shares given when none are asked for. */
    public static final int DEFAULT_SHARES = 1000;

    /** Unreserved, normal shares. */
    public static final MemoryQos DEFAULT = new MemoryQos(0, DEFAULT_SHARES);

    /** Validates every field; see the record description for the rules. */
    public MemoryQos {
        Check.range("memory.reservationMiB", reservationMiB, 0, VmSpec.MAX_MEMORY_MIB);
        Check.range("memory.shares", shares, 1, CpuQos.MAX_SHARES);
    }

    /**
     * @param reservation the new reservation in MiB
     * @return a copy with the reservation changed
     */
    public MemoryQos withReservationMiB(long reservation) {
        return new MemoryQos(reservation, shares);
    }

    /**
     * @param newShares the new shares
     * @return a copy with the shares changed
     */
    public MemoryQos withShares(int newShares) {
        return new MemoryQos(reservationMiB, newShares);
    }
}
