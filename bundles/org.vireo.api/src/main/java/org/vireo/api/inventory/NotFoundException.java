package org.vireo.api.inventory;

import org.vireo.api.model.VireoException;

/**
 * A named host, VM, policy or file does not exist. The message lists what does.
 *
 * @since 1.0
 */
public final class NotFoundException extends VireoException {
    private static final long serialVersionUID = 1L;

    /** @param message the explanation */
    public NotFoundException(String message) {
        super(message);
    }
}
