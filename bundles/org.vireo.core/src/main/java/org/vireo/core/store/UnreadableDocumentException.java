package org.vireo.core.store;

/** A definition file exists but cannot be used; the message says why, for people. */
public final class UnreadableDocumentException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param reason why the file cannot be used */
    public UnreadableDocumentException(String reason) {
        super(reason);
    }
}
