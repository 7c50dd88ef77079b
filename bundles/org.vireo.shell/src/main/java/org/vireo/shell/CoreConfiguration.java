package org.vireo.shell;

import java.util.Map;

/** Core's configuration {@value OvercommitRatios#PID}, as the commands that change it read and write it. */
interface CoreConfiguration {
    /**
     * @return its properties, without those ConfigAdmin sets itself ({@code service.pid}...);
     *         empty when core runs on its defaults
     * @throws org.vireo.api.model.VireoException if it cannot be read
     */
    Map<String, Object> read();

    /**
     * Replaces its properties; core applies them once ConfigAdmin has delivered them.
     *
     * @param properties the new properties
     * @throws org.vireo.api.model.VireoException if they cannot be saved
     */
    void write(Map<String, Object> properties);
}
