package org.vireo.api.hypervisor;

import org.osgi.annotation.versioning.ConsumerType;
import org.vireo.api.model.HostSpec;
import org.vireo.api.model.HypervisorKind;

/**
 * One hypervisor architecture (hosted, bare-metal, hybrid), provided by its own bundle and
 * registered with {@code vireo.name} set to {@link HypervisorKind#id()}. A host whose type has
 * no registered implementation cannot be added.
 *
 * @since 1.0
 */
@ConsumerType
public interface HypervisorType {
    /** The service property naming the implementation. */
    String NAME = "vireo.name";

    /**
     * Called by core when a host of this kind is added or re-attached.
     *
     * @return the architecture this bundle implements
     */
    HypervisorKind kind();

    /**
     * Computes the documented overheads on a concrete host. Called when a host is added or
     * re-attached, and by {@code host:info}; must be a pure function of {@code host}.
     *
     * @param host the host's definition
     * @return the overheads on that host
     */
    TypeProfile profile(HostSpec host);
}
