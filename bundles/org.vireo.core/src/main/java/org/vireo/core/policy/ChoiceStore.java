package org.vireo.core.policy;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import org.vireo.api.inventory.PolicyFamily;

/** Where the chosen implementation of each single-active family is kept across restarts. */
public interface ChoiceStore {
    /**
     * @param family a single-active family
     * @param name the implementation to make active
     * @throws IOException if it cannot be saved
     */
    void save(PolicyFamily family, String name) throws IOException;

    /** @return the choices as saved now, or empty if they cannot be read */
    Optional<Map<PolicyFamily, String>> current();
}
