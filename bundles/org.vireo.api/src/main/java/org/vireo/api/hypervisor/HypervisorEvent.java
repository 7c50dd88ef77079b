package org.vireo.api.hypervisor;

import java.io.Serializable;
import org.vireo.api.model.VmState;

/**
 * Something that happened on a host without being asked for: a VM crashed, finished booting,
 * a privileged domain came up. Core pulls these with {@link Hypervisor#events} and records them.
 *
 * @param sequence increasing per host, starting at 1
 * @param clockMillis the hypervisor clock when it happened
 * @param host the host
 * @param vm the VM concerned, or {@code null} for a host event
 * @param state the VM's new state, or {@code null} if unchanged
 * @param message for people
 * @since 1.0
 */
public record HypervisorEvent(long sequence, long clockMillis, String host, String vm, VmState state, String message)
        implements Serializable {
}
