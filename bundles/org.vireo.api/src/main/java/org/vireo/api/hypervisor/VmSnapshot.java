package org.vireo.api.hypervisor;

import java.io.Serializable;
import org.vireo.api.model.VmSpec;
import org.vireo.api.model.VmState;

/**
 * What a hypervisor knows of one VM at one instant.
 *
 * @param spec the definition it runs with (QoS changes applied)
 * @param state its state as the hypervisor sees it
 * @param cpu CPU figures
 * @param memory memory figures
 * @param io I/O figures
 * @param detail a short hypervisor-specific note (e.g. "pid 4242, TCG"), or empty
 * @since 1.0
 */
public record VmSnapshot(VmSpec spec, VmState state, CpuFigures cpu, MemoryFigures memory, IoFigures io, String detail)
        implements Serializable {
    /** Rejects missing parts. */
    public VmSnapshot {
        if (spec == null || state == null || cpu == null || memory == null || io == null) {
            throw new IllegalArgumentException("VmSnapshot needs spec, state, cpu, memory and io");
        }
        detail = detail == null ? "" : detail;
    }

    /** @return the VM's name */
    public String name() {
        return spec.name();
    }
}
