package org.vireo.api.inventory;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Reports how the active policies treat the VMs of a host, from the hypervisor's live figures
 * and the active policies' decisions, and keeps the memory overcommit ratios that admission
 * uses (core's configuration: {@code overcommitRatio} and {@code clusterOvercommit}).
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

    /**
     * @return the memory overcommit ratios admission uses now, with what the configuration holds
     *         that is not valid
     * @since 1.1
     */
    OvercommitSettings overcommit();

    /**
     * Sets or removes a memory overcommit ratio in core's configuration. Nothing is written when
     * the ratio or the cluster is not valid. The change applies from the next admission; VMs
     * already admitted stay as they are.
     *
     * @param cluster the cluster whose own ratio is set or removed, or {@code null} for the global
     *        ratio
     * @param ratio the new ratio as given, e.g. {@code "2.0"}: a number from 0.1 to 100; or
     *        {@code null} to remove it (a cluster's hosts then use the global ratio; the global
     *        ratio returns to its default, 1.5)
     * @return the ratios admission uses from now on
     * @throws org.vireo.api.model.InvalidSpecException naming the field of the configuration, the
     *         value as given and the allowed range, e.g. {@code org.vireo.core.overcommitRatio:
     *         '0' is not allowed; expected a number from 0.1 to 100.0}, or the field
     *         {@code cluster} for a cluster name that is not valid
     * @throws org.vireo.api.model.VireoException if the configuration cannot be saved
     * @since 1.1
     */
    OvercommitSettings setOvercommit(String cluster, String ratio);
}
