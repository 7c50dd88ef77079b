package org.vireo.api.io;

import java.io.Serializable;
import java.util.Set;

/**
 * What a guest frontend publishes when it discovers a device.
 *
 * @param host the host's name
 * @param vm the VM's name
 * @param device the device's name in the VM (a disk or NIC name)
 * @param kind the device kind
 * @param ringSlots the number of request slots of its shared ring
 * @param features the optional features the frontend supports (e.g. {@code flush}, {@code tso})
 * @since 1.0
 */
public record FrontendInfo(String host, String vm, String device, DeviceKind kind, int ringSlots, Set<String> features)
        implements Serializable {
    /** Copies the set. */
    public FrontendInfo {
        features = Set.copyOf(features);
    }
}
