package org.vireo.api.inventory;

import org.vireo.api.model.VireoException;

/**
 * The request clashes with what exists: a duplicate name, a host that still runs VMs, a disk file in the way.
 *
 * @since 1.0
 */
public final class ConflictException extends VireoException {
    private static final long serialVersionUID = 1L;

    /** @param message the explanation */
    public ConflictException(String message) {
        super(message);
    }
}
