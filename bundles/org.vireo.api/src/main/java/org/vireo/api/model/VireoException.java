package org.vireo.api.model;

/**
 * Base of every exception Vireo throws on purpose. The message is written for the person at the
 * shell: it says what was asked, what is wrong and, where possible, what would be accepted.
 *
 * @since 1.0
 */
public class VireoException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message the complete, human-readable explanation */
    public VireoException(String message) {
        super(message);
    }

    /**
     * @param message the complete, human-readable explanation
     * @param cause the underlying failure
     */
    public VireoException(String message, Throwable cause) {
        super(message, cause);
    }
}
