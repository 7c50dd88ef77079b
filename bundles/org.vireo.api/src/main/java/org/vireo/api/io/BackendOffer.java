package org.vireo.api.io;

import java.io.Serializable;
import java.util.Set;

/**
 * A backend's answer to a frontend in the handshake.
 *
 * @param state {@code CONNECTED} when accepted, {@code CLOSED} when refused
 * @param features the features both ends will use
 * @param maxInFlight how many requests the backend accepts at once
 * @param reason when refused, why
 * @since 1.0
 */
public record BackendOffer(HandshakeState state, Set<String> features, int maxInFlight, String reason)
        implements Serializable {
    /** Copies the set. */
    public BackendOffer {
        features = Set.copyOf(features);
    }
}
