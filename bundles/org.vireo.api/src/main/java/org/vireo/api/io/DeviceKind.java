package org.vireo.api.io;

/**
 * The kinds of split-driver devices.
 *
 * @since 1.0
 */
public enum DeviceKind {
    /** A block device (virtual disk). */
    BLOCK,
    /** A network interface. */
    NETWORK
}
