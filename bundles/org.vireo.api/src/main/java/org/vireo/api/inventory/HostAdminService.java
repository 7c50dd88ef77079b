package org.vireo.api.inventory;

import org.osgi.annotation.versioning.ProviderType;
import org.vireo.api.model.HostSpec;

/**
 * Changes the hosts of the inventory. Hosts are saved in the data folder and re-attached at
 * start-up.
 *
 * @since 1.0
 */
@ProviderType
public interface HostAdminService extends HostService {
    /**
     * Adds a host and attaches it to its hypervisor.
     *
     * @param spec the host
     * @return the host as attached
     * @throws ConflictException if the name is taken
     * @throws NotFoundException if its hypervisor or its type is not installed
     */
    HostView addHost(HostSpec spec);

    /**
     * Removes a host that has no VMs placed on it.
     *
     * @param name the host's name
     * @throws NotFoundException if it does not exist
     * @throws ConflictException if VMs are placed on it
     */
    void removeHost(String name);
}
