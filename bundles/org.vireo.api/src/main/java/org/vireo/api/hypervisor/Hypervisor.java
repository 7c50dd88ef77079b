package org.vireo.api.hypervisor;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;
import org.vireo.api.model.HostSpec;
import org.vireo.api.model.VmSpec;

/**
 * The mechanism that runs VMs: one implementation per technology, registered as a service with
 * {@code vireo.name} (e.g. {@code sim}, {@code qemu}), driving every host whose
 * {@link HostSpec#hypervisor()} names it.
 * <p>
 * Core calls these methods from the shell's and the API's threads; implementations must be
 * thread-safe. Every method takes and returns serializable values. Failures are reported as
 * {@link HypervisorException} with a message that names the host and VM.
 * <p>
 * Scheduling is the hypervisor's: at every interval it builds a snapshot of each host, asks the
 * active policies (CPU QoS, memory reclaim and reuse) for decisions and applies them. A policy
 * swap therefore takes effect at the next interval, and all state that must outlive a swap
 * (cumulative CPU work, guest memory) is held here, never in a policy.
 *
 * @since 1.0
 */
@ConsumerType
public interface Hypervisor {
    /** The service property naming the implementation. */
    String NAME = "vireo.name";

    /**
     * Takes a host under management. Called when a host is added and, after a restart, for
     * every host in the inventory. A real hypervisor re-attaches to VMs still running from
     * before the restart and reports them in the returned snapshot; every VM not reported is
     * considered stopped.
     *
     * @param host the host's definition
     * @param profile the overheads of its type (a privileged domain, if any, starts now)
     * @return the host's state right after attaching
     * @throws HypervisorException if the host cannot be driven (e.g. QEMU missing)
     */
    HostSnapshot attachHost(HostSpec host, TypeProfile profile);

    /**
     * Releases a host. Called only when no VM on it holds resources.
     *
     * @param host the host's name
     */
    void detachHost(String host);

    /**
     * Boots a VM on a host. Admission (CPU reservation, memory) has been checked by core.
     * Returns once the VM is {@code STARTING} or {@code RUNNING}; a later
     * {@link HypervisorEvent} reports the move to {@code RUNNING}.
     *
     * @param host the host's name
     * @param vm the VM's definition
     * @param directory the absolute path of the VM's directory (its disks, console log, sockets)
     * @return the VM's state after the call
     * @throws HypervisorException if the VM cannot be started
     */
    VmSnapshot start(String host, VmSpec vm, String directory);

    /**
     * Stops a VM: a guest shutdown that may take time, or at once when {@code force}.
     * Its cumulative figures are forgotten.
     *
     * @param host the host's name
     * @param vm the VM's name
     * @param force whether to power off without asking the guest
     */
    void stop(String host, String vm, boolean force);

    /**
     * Freezes a running VM: it keeps its memory and gets no CPU.
     *
     * @param host the host's name
     * @param vm the VM's name
     */
    void pause(String host, String vm);

    /**
     * Lets a paused VM run again.
     *
     * @param host the host's name
     * @param vm the VM's name
     */
    void resume(String host, String vm);

    /**
     * Fault injection: makes the VM fail as a guest or VMM crash would. Only that VM is
     * affected; it ends {@code CRASHED}.
     *
     * @param host the host's name
     * @param vm the VM's name
     */
    void crash(String host, String vm);

    /**
     * Applies a changed definition to a VM that holds resources (QoS settings); effective from
     * the next scheduling interval. Fields that cannot change while running (vCPUs, memory,
     * disks) are ignored by the hypervisor and refused earlier by core.
     *
     * @param host the host's name
     * @param vm the new definition
     */
    void reconfigure(String host, VmSpec vm);

    /**
     * @param host the host's name
     * @return the host's current state
     * @throws HypervisorException if the host is not attached
     */
    HostSnapshot snapshot(String host);

    /**
     * Events since a sequence number. Core calls this about once a second per host, so
     * implementations keep at least the last few thousand events per host.
     *
     * @param host the host's name
     * @param afterSequence the last sequence already seen (0 for all)
     * @return the newer events, oldest first
     */
    List<HypervisorEvent> events(String host, long afterSequence);
}
