package org.vireo.api.inventory;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Reads the hosts of the inventory.
 *
 * @since 1.0
 */
@ProviderType
public interface HostService {
    /** @return every host, by name */
    List<HostView> hosts();

    /**
     * @param name a host's name
     * @return the host, if it exists
     */
    Optional<HostView> findHost(String name);

    /**
     * @param name a host's name
     * @return the host
     * @throws NotFoundException naming the hosts that exist
     */
    HostView host(String name);
}
