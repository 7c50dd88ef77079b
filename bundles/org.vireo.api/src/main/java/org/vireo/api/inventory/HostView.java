package org.vireo.api.inventory;

import java.io.Serializable;
import java.util.List;
import org.vireo.api.hypervisor.HostSnapshot;
import org.vireo.api.hypervisor.TypeProfile;
import org.vireo.api.model.HostSpec;

/**
 * A host as the inventory sees it.
 *
 * @param spec its definition
 * @param profile the overheads of its type, or {@code null} while its type bundle is absent
 * @param live the hypervisor's snapshot, or {@code null} while its hypervisor is absent
 * @param vms the names of the VMs placed on it
 * @param problem why it is not attached (missing hypervisor or type bundle), or empty
 * @since 1.0
 */
public record HostView(HostSpec spec, TypeProfile profile, HostSnapshot live, List<String> vms, String problem)
        implements Serializable {
    /** Copies the list. */
    public HostView {
        vms = List.copyOf(vms);
        problem = problem == null ? "" : problem;
    }

    /** @return the host's name */
    public String name() {
        return spec.name();
    }

    /** @return whether a hypervisor drives it now */
    public boolean attached() {
        return live != null;
    }
}
