package org.vireo.api.cpu;

import org.osgi.annotation.versioning.ConsumerType;
import org.vireo.api.model.VmSpec;

/**
 * Divides a host's CPU among its VMs. Implementations are registered as services with
 * {@code vireo.name}; one is active at a time, chosen with {@code policy:use cpu NAME}.
 * Implementations hold no per-VM state: everything they need is in the snapshot, so swapping
 * policies while VMs run loses nothing.
 *
 * @since 1.0
 */
@ConsumerType
public interface CpuQosPolicy {
    /** The service property naming the implementation. */
    String NAME = "vireo.name";

    /**
     * Decides each VM's entitlement for the coming interval. Called by the hypervisor once per
     * host per scheduling interval, possibly from several threads for different hosts; must be
     * a pure function of {@code host}.
     *
     * @param host the host's CPU and its runnable VMs
     * @return one entitlement per VM of the snapshot
     */
    CpuAllocation allocate(CpuSnapshot host);

    /**
     * Decides whether {@code candidate} may run on the host next to the VMs already there.
     * Called by core before a VM starts, and before a running VM's QoS is changed (then the
     * snapshot does not include the VM's old settings). A policy that has no reservations
     * admits everything.
     *
     * @param host the host's CPU and the VMs holding resources on it (demand may be 0)
     * @param candidate the VM to admit
     * @return granted, or refused with the numbers
     */
    Admission admit(CpuSnapshot host, VmSpec candidate);
}
