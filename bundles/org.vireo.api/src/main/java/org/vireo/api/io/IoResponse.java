package org.vireo.api.io;

import java.io.Serializable;

/**
 * A backend's response, put back on the ring.
 *
 * @param id the request's id
 * @param ok whether it succeeded
 * @param serviceMicros how long the backend took to serve it
 * @since 1.0
 */
public record IoResponse(long id, boolean ok, long serviceMicros) implements Serializable {
}
