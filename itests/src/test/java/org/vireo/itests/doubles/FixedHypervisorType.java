package org.vireo.itests.doubles;

import org.vireo.api.hypervisor.HypervisorType;
import org.vireo.api.hypervisor.TypeProfile;
import org.vireo.api.model.HostSpec;
import org.vireo.api.model.HypervisorKind;

/** A hypervisor architecture with fixed, recognisable overheads. */
public final class FixedHypervisorType implements HypervisorType {
    private final HypervisorKind kind;
    private final String description;

    /**
     * @param kind the architecture it claims
     * @param description the profile's description, to recognise it
     */
    public FixedHypervisorType(HypervisorKind kind, String description) {
        this.kind = kind;
        this.description = description;
    }

    @Override
    public HypervisorKind kind() {
        return kind;
    }

    @Override
    public TypeProfile profile(HostSpec host) {
        return new TypeProfile(kind, description, 1, 100, 256, null, "test path", 16, true);
    }
}
