package org.vireo.hypervisor.qemu.qmp;

/**
 * Receives what QEMU says without being asked. Called on the client's event thread, one call at a
 * time, in arrival order; a listener may call {@link QmpClient#execute} from there.
 */
public interface QmpListener {
    /** @param event an asynchronous event */
    void event(QmpEvent event);

    /**
     * The connection ended: QEMU exited, closed the socket, or {@link QmpClient#close()} was
     * called. Called once.
     *
     * @param reason for people
     */
    default void closed(String reason) {
    }
}
