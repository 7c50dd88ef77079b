package org.vireo.api.io;

import java.io.Serializable;

/**
 * One request taken from a shared ring.
 *
 * @param id the request's id, echoed in the response
 * @param write whether it writes (a disk write, a packet sent) or reads
 * @param offset byte offset on a block device (0 for network)
 * @param length bytes
 * @since 1.0
 */
public record IoRequest(long id, boolean write, long offset, int length) implements Serializable {
}
