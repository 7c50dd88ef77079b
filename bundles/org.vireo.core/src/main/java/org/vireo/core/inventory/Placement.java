package org.vireo.core.inventory;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.vireo.api.hypervisor.TypeProfile;
import org.vireo.api.model.DiskSpec;
import org.vireo.api.model.HostSpec;
import org.vireo.api.model.VmSpec;

/** Chooses a host for a VM defined without one: the host with the most unallocated memory. */
public final class Placement {
    private Placement() {
    }

    /**
     * An attached host and what is placed on it.
     *
     * @param host the host
     * @param profile its type's overheads
     * @param allocatedMiB the configured memory of every VM placed on it, whatever its state
     */
    public record Candidate(HostSpec host, TypeProfile profile, long allocatedMiB) {
        /** @return memory neither reserved by the hypervisor nor allocated to VMs (may be negative) */
        public long unallocatedMiB() {
            return host.memoryMiB() - profile.reservedMemoryMiB() - allocatedMiB;
        }

        boolean sees(VmSpec vm) {
            return vm.disks().stream().map(DiskSpec::datastore).allMatch(host::hasDatastore);
        }
    }

    /**
     * @param candidates the attached hosts
     * @param vm the VM to place
     * @return the host with the most unallocated memory among those that have every datastore
     *         the VM's disks name (ties: the first name), or empty if none has
     */
    public static Optional<Candidate> choose(List<Candidate> candidates, VmSpec vm) {
        return candidates.stream().filter(c -> c.sees(vm))
                .max(Comparator.comparingLong(Candidate::unallocatedMiB).thenComparing(c -> c.host().name(), Comparator.reverseOrder()));
    }
}
