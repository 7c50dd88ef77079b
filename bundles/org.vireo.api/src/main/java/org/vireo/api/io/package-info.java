/**
 * Split-driver I/O: frontends in the guest, backends in the privileged domain (or the VMM),
 * joined by a shared ring after a device-discovery handshake.
 * <p>
 * An {@link org.vireo.api.io.IoBackend} bundle serves one kind of device. The hypervisor owns
 * the ring and the frontend; the backend answers the handshake and services ring requests.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.vireo.api.io;
