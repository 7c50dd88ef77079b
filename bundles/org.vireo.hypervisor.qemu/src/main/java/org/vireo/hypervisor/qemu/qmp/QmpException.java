package org.vireo.hypervisor.qemu.qmp;

import org.vireo.api.model.VireoException;

/**
 * A QMP exchange failed: QEMU answered with an error, did not answer in time, the connection
 * closed, or what came over it was not QMP.
 */
public final class QmpException extends VireoException {
    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Kind {
        /** QEMU answered the command with an error (see {@link #errorClass()}). */
        ERROR,
        /** No answer within the timeout. */
        TIMEOUT,
        /** The connection is closed (QEMU exited or the client was closed). */
        CLOSED,
        /** The socket could not be reached or read. */
        IO,
        /** QEMU sent something that is not QMP. */
        PROTOCOL
    }

    private final Kind kind;
    private final String errorClass;

    /**
     * @param kind what went wrong
     * @param errorClass QMP's error class for {@link Kind#ERROR} (e.g. {@code CommandNotFound}), else null
     * @param message the explanation, naming the command
     * @param cause the underlying failure, or null
     */
    public QmpException(Kind kind, String errorClass, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.errorClass = errorClass;
    }

    /** @return what went wrong */
    public Kind kind() {
        return kind;
    }

    /** @return QMP's error class for an error reply, or null */
    public String errorClass() {
        return errorClass;
    }
}
