package org.vireo.api.inventory;

import java.io.Serializable;
import org.vireo.api.hypervisor.VmSnapshot;
import org.vireo.api.model.VmSpec;
import org.vireo.api.model.VmState;

/**
 * A VM as the inventory sees it.
 *
 * @param spec its definition
 * @param host the host it is placed on
 * @param state its lifecycle state
 * @param directory the absolute path of its directory
 * @param live the hypervisor's figures while it holds resources, else {@code null}
 * @since 1.0
 */
public record VmView(VmSpec spec, String host, VmState state, String directory, VmSnapshot live)
        implements Serializable {
    /** @return the VM's name */
    public String name() {
        return spec.name();
    }
}
