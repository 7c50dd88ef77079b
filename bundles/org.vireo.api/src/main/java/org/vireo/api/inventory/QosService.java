package org.vireo.api.inventory;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Reports how the active policies treat the VMs of a host, from the hypervisor's live figures
 * and the active policies' decisions.
 *
 * @since 1.0
 */
@ProviderType
public interface QosService {
    /**
     * @param host a host's name
     * @return its CPU QoS now
     * @throws NotFoundException if the host does not exist
     */
    CpuQosReport cpu(String host);

    /**
     * @param host a host's name
     * @return its memory now
     * @throws NotFoundException if the host does not exist
     */
    MemoryReport memory(String host);
}
