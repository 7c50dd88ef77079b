package org.vireo.api.inventory;

import org.vireo.api.model.VireoException;

/**
 * A VM does not fit a host: its CPU reservation, memory reservation or the overcommit limit. The message gives the numbers.
 *
 * @since 1.0
 */
public final class AdmissionException extends VireoException {
    private static final long serialVersionUID = 1L;

    /** @param message the explanation */
    public AdmissionException(String message) {
        super(message);
    }
}
