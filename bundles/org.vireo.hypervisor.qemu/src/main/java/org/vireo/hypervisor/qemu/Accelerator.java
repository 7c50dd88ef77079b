package org.vireo.hypervisor.qemu;

import java.util.Locale;
import org.vireo.api.model.HypervisorKind;

/** How QEMU runs guest code. */
public enum Accelerator {
    /** Full software emulation (Tiny Code Generator): the hosted type. */
    TCG,
    /** The kernel's virtualization extensions through /dev/kvm: the hybrid type. */
    KVM;

    /** @return the value of QEMU's {@code -accel} option */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param kind a host's hypervisor architecture
     * @return the accelerator that architecture means under QEMU
     */
    public static Accelerator forKind(HypervisorKind kind) {
        return kind == HypervisorKind.HYBRID ? KVM : TCG;
    }
}
