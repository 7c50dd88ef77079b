package org.vireo.hypervisor.sim.engine;

/** Where a guest page lives. Every page of a running VM is in exactly one location. */
public enum PageLocation {
    /** Backed by a host page of its own. */
    PRIVATE,
    /** Mapped read-only to a host page other VMs (or other pages) map too; a write copies it. */
    SHARED,
    /** Given back by the guest's balloon driver: not backed, the guest does not use it. */
    BALLOONED,
    /** Written to the hypervisor's swap file: not backed until the guest touches it. */
    SWAPPED;

    private static final PageLocation[] VALUES = values();

    static PageLocation of(int ordinal) {
        return VALUES[ordinal];
    }
}
