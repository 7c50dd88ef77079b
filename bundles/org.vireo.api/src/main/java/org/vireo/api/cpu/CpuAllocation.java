package org.vireo.api.cpu;

import java.io.Serializable;
import java.util.List;

/**
 * A CPU policy's decision for one host and one interval.
 *
 * @param entitlements one entry per VM of the snapshot, in any order
 * @param warnings settings the policy does not honour, for people (e.g. "vm1: reservation of
 *        2000 MHz is not honoured by the credit policy"); never silently dropped
 * @since 1.0
 */
public record CpuAllocation(List<CpuEntitlement> entitlements, List<String> warnings) implements Serializable {
    /** Copies the lists. */
    public CpuAllocation {
        entitlements = List.copyOf(entitlements);
        warnings = List.copyOf(warnings);
    }
}
