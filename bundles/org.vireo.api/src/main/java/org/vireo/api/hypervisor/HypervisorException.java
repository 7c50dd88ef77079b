package org.vireo.api.hypervisor;

import org.vireo.api.model.VireoException;

/**
 * A hypervisor could not carry out an operation (the VM process would not start, the host is
 * unknown to it, a device failed). The message says which host, which VM and why.
 *
 * @since 1.0
 */
public final class HypervisorException extends VireoException {
    private static final long serialVersionUID = 1L;

    /** @param message the explanation */
    public HypervisorException(String message) {
        super(message);
    }

    /**
     * @param message the explanation
     * @param cause the underlying failure
     */
    public HypervisorException(String message, Throwable cause) {
        super(message, cause);
    }
}
