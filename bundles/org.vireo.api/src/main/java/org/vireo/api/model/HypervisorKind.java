package org.vireo.api.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The architecture of a hypervisor, declared by each host. Each kind is implemented by a
 * {@code HypervisorType} bundle that documents its overheads.
 *
 * @since 1.0
 */
public enum HypervisorKind {
    /** Type 2: a host operating system owns the devices; the VMM is a process, full emulation. */
    HOSTED,
    /** Type 1, Xen-style: a privileged Dom0 owns physical I/O; guests are DomUs. */
    BAREMETAL,
    /** KVM-style: a kernel module plus a user-space device model per VM, hardware-assisted. */
    HYBRID;

    /** @return the lower-case name used at the shell and in files, e.g. {@code baremetal} */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param field the field name used in the error
     * @param text {@code hosted}, {@code baremetal} or {@code hybrid}, any case
     * @return the kind
     * @throws InvalidSpecException for any other text
     */
    public static HypervisorKind parse(String field, String text) {
        for (HypervisorKind kind : values()) {
            if (kind.id().equalsIgnoreCase(text == null ? "" : text.trim())) {
                return kind;
            }
        }
        throw new InvalidSpecException(field, text, "one of "
                + Arrays.stream(values()).map(HypervisorKind::id).collect(Collectors.joining(", ")));
    }
}
