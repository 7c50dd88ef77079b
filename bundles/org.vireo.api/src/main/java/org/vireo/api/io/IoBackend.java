package org.vireo.api.io;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The backend half of a split driver for one device kind, registered with {@code vireo.name}.
 * The active backend of a kind is chosen with {@code policy:use io NAME}; devices already
 * connected are re-connected to the new backend at the next handshake.
 *
 * @since 1.0
 */
@ConsumerType
public interface IoBackend {
    /** The service property naming the implementation. */
    String NAME = "vireo.name";

    /**
     * Called when the backend is registered and by {@code policy:list}.
     *
     * @return the device kind this backend serves
     */
    DeviceKind kind();

    /**
     * Answers a frontend's handshake: called by the hypervisor when a frontend reaches
     * {@code INITIALISED}.
     *
     * @param frontend what the frontend published
     * @return the negotiated connection, or a refusal with its reason
     */
    BackendOffer connect(FrontendInfo frontend);

    /**
     * Serves a batch of requests taken from a connected device's ring. Called by the
     * hypervisor whenever the frontend notifies; must answer every request.
     *
     * @param frontend the device
     * @param requests the requests, in ring order
     * @return one response per request
     */
    List<IoResponse> service(FrontendInfo frontend, List<IoRequest> requests);
}
