package org.vireo.api.hypervisor;

import java.io.Serializable;
import org.vireo.api.model.Check;
import org.vireo.api.model.HypervisorKind;

/**
 * What a hypervisor architecture costs on a given host: documented figures a
 * {@link HypervisorType} computes and {@code host:info} shows.
 *
 * @param kind the architecture
 * @param description one line for people, e.g. "type 1, Xen-style: Dom0 owns physical I/O"
 * @param cpuOverheadPercent CPU lost to virtualization on every guest instruction stream
 *        (trap-and-emulate, exits), 0..100
 * @param reservedCpuMhz CPU the hypervisor (or its privileged domain) reserves for itself
 * @param reservedMemoryMiB memory it reserves for itself
 * @param privilegedDomain the name of the privileged domain that starts before any guest and
 *        owns physical I/O (e.g. {@code Dom0}), or {@code null} if none
 * @param ioPath how guest I/O reaches the device, for people
 * @param perVmMemoryOverheadMiB memory each VM costs beyond its configured memory (VMM process,
 *        device model, page tables)
 * @param hardwareAssisted whether guests run on hardware virtualization extensions
 * @since 1.0
 */
public record TypeProfile(HypervisorKind kind, String description, double cpuOverheadPercent, long reservedCpuMhz,
        long reservedMemoryMiB, String privilegedDomain, String ioPath, long perVmMemoryOverheadMiB,
        boolean hardwareAssisted) implements Serializable {
    /** Validates every field. */
    public TypeProfile {
        Check.present("profile.kind", kind);
        Check.present("profile.description", description);
        Check.range("profile.cpuOverheadPercent", cpuOverheadPercent, 0, 100);
        Check.range("profile.reservedCpuMhz", reservedCpuMhz, 0, Long.MAX_VALUE);
        Check.range("profile.reservedMemoryMiB", reservedMemoryMiB, 0, Long.MAX_VALUE);
        Check.present("profile.ioPath", ioPath);
        Check.range("profile.perVmMemoryOverheadMiB", perVmMemoryOverheadMiB, 0, Long.MAX_VALUE);
    }
}
