package org.vireo.api.model;

/**
 * The lifecycle states of a VM. Which transitions are legal is decided by core's state machine;
 * {@link #isActive()} tells whether a hypervisor holds resources for the VM.
 *
 * @since 1.0
 */
public enum VmState {
    /** Defined on disk, never started. */
    DEFINED,
    /** The hypervisor is booting it. */
    STARTING,
    /** Running and consuming CPU. */
    RUNNING,
    /** Frozen in memory; consumes memory but no CPU. */
    PAUSED,
    /** Being moved to another host. */
    MIGRATING,
    /** Shut down; holds no resources. */
    STOPPED,
    /** Failed (guest or VMM fault); holds no resources until started again. */
    CRASHED;

    /** @return whether a hypervisor currently holds resources for a VM in this state */
    public boolean isActive() {
        return this == STARTING || this == RUNNING || this == PAUSED || this == MIGRATING;
    }
}
