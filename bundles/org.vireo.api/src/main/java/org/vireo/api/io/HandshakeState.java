package org.vireo.api.io;

/**
 * The device-discovery handshake states both ends publish (as in XenBus).
 *
 * @since 1.0
 */
public enum HandshakeState {
    /** The end is setting itself up. */
    INITIALISING,
    /** The backend waits for the frontend's ring details. */
    INIT_WAIT,
    /** The frontend has published its ring. */
    INITIALISED,
    /** Both ends are connected; requests flow. */
    CONNECTED,
    /** The device is being torn down. */
    CLOSING,
    /** The device is gone. */
    CLOSED
}
