package org.vireo.api.model;

import java.io.Serializable;

/**
 * CPU quality of service of a VM, in MHz of host CPU.
 *
 * @param limitMhz the most the VM may ever receive, or {@code null} for unlimited
 * @param reservationMhz the least the VM is guaranteed when it wants it (0 for none); never
 *        above the limit
 * @param shares the VM's relative weight when the host is contended, from 1 to 1,000,000
 * @since 1.0
 */
public record CpuQos(Long limitMhz, long reservationMhz, int shares) implements Serializable {
    /** Shares given when none are asked for (vSphere's "normal"). */
    public static final int DEFAULT_SHARES = 1000;
    /** The largest accepted number of shares. */
    public static final int MAX_SHARES = 1_000_000;
    /** The largest accepted limit or reservation. */
    public static final long MAX_MHZ = 100_000_000L;

    /** Unlimited, unreserved, normal shares. */
    public static final CpuQos DEFAULT = new CpuQos(null, 0, DEFAULT_SHARES);

    /** Validates every field; see the record description for the rules. */
    public CpuQos {
        if (limitMhz != null) {
            Check.range("cpu.limitMhz", limitMhz, 1, MAX_MHZ);
        }
        Check.range("cpu.reservationMhz", reservationMhz, 0, MAX_MHZ);
        Check.range("cpu.shares", shares, 1, MAX_SHARES);
        if (limitMhz != null && reservationMhz > limitMhz) {
            throw new InvalidSpecException("cpu.reservationMhz", reservationMhz,
                    "at most the limit of " + limitMhz + " MHz");
        }
    }

    /** @return whether a limit is set */
    public boolean isLimited() {
        return limitMhz != null;
    }

    /** @return the limit, or {@link Double#POSITIVE_INFINITY} when unlimited */
    public double limitOrInfinity() {
        return limitMhz == null ? Double.POSITIVE_INFINITY : limitMhz;
    }

    /**
     * @param limit the new limit, {@code null} for unlimited
     * @return a copy with the limit changed
     */
    public CpuQos withLimitMhz(Long limit) {
        return new CpuQos(limit, reservationMhz, shares);
    }

    /**
     * @param reservation the new reservation in MHz
     * @return a copy with the reservation changed
     */
    public CpuQos withReservationMhz(long reservation) {
        return new CpuQos(limitMhz, reservation, shares);
    }

    /**
     * @param newShares the new shares
     * @return a copy with the shares changed
     */
    public CpuQos withShares(int newShares) {
        return new CpuQos(limitMhz, reservationMhz, newShares);
    }
}
