package org.vireo.api.hypervisor;

import java.io.Serializable;
import java.util.List;
import java.util.Optional;
import org.vireo.api.model.HostSpec;

/**
 * What a hypervisor knows of one host at one instant: an immutable value, safe to hand to
 * policies and to send to another JVM.
 *
 * @param host the host's definition
 * @param profile the overheads of its hypervisor type
 * @param clockMillis the hypervisor's clock (virtual time for {@code sim}, wall time for real
 *        hypervisors), milliseconds since the hypervisor started
 * @param usedMhz CPU used by guests over the last interval
 * @param freePages host memory not used by guests nor reserved by the hypervisor
 * @param sharedSavedPages host pages saved by page sharing
 * @param vms the VMs on the host that hold resources, privileged domains included
 * @param detail a short hypervisor-specific note for {@code host:info} (e.g. the KVM probe's
 *        verdict), or empty
 * @since 1.0
 */
public record HostSnapshot(HostSpec host, TypeProfile profile, long clockMillis, double usedMhz, long freePages,
        long sharedSavedPages, List<VmSnapshot> vms, String detail) implements Serializable {
    /** Copies the list. */
    public HostSnapshot {
        vms = List.copyOf(vms);
        detail = detail == null ? "" : detail;
    }

    /**
     * @param name a VM's name
     * @return that VM's snapshot, if the host runs it
     */
    public Optional<VmSnapshot> vm(String name) {
        return vms.stream().filter(v -> v.name().equals(name)).findFirst();
    }
}
