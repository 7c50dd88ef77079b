package org.vireo.api.inventory;

import org.vireo.api.model.VireoException;

/**
 * A lifecycle operation is not legal in the VM's current state (e.g. pausing a stopped VM). The message names the VM, its state and the operation.
 *
 * @since 1.0
 */
public final class IllegalTransitionException extends VireoException {
    private static final long serialVersionUID = 1L;

    /** @param message the explanation */
    public IllegalTransitionException(String message) {
        super(message);
    }
}
