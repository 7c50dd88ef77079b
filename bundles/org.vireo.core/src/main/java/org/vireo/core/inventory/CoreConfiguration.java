package org.vireo.core.inventory;

import java.util.Map;

/** Core's configuration {@value Inventory#PID}, as {@link QosReporter#setOvercommit} reads and writes it. */
interface CoreConfiguration {
    /**
     * @return its properties, without those ConfigAdmin sets itself ({@code service.pid}...);
     *         empty when core runs on its defaults
     * @throws org.vireo.api.model.VireoException if it cannot be read
     */
    Map<String, Object> read();

    /**
     * Replaces its properties; SCR hands them to {@link Inventory} once ConfigAdmin has delivered them.
     *
     * @param properties the new properties
     * @throws org.vireo.api.model.VireoException if they cannot be saved
     */
    void write(Map<String, Object> properties);
}
