package org.vireo.core.store;

import org.vireo.api.model.Check;
import org.vireo.api.model.HostSpec;

/**
 * The content of a host's {@code host.json}.
 *
 * @param format the format version, {@link FormatVersion#CURRENT} when written
 * @param host the definition
 * @param added when it was added (ISO-8601)
 */
public record HostDocument(String format, HostSpec host, String added) {
    /** Rejects a missing definition. */
    public HostDocument {
        Check.present("host", host);
    }

    /** @return the host's name */
    public String name() {
        return host.name();
    }
}
