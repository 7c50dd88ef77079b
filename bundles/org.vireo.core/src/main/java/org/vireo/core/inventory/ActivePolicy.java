package org.vireo.core.inventory;

import java.util.Optional;
import org.vireo.api.inventory.PolicyFamily;
import org.vireo.api.inventory.PolicyInfo;
import org.vireo.api.inventory.PolicyService;

/**
 * The active implementation of a single-active family and its name, for decisions and the
 * messages that explain them.
 *
 * @param policy the implementation
 * @param name its {@code vireo.name}
 * @param <T> the SPI
 */
record ActivePolicy<T>(T policy, String name) {
    /**
     * @param policies the policy service, or {@code null} while it is absent
     * @param family a single-active family
     * @param spi its SPI
     * @param <T> the SPI
     * @return the active implementation, or empty when none is installed
     */
    static <T> Optional<ActivePolicy<T>> of(PolicyService policies, PolicyFamily family, Class<T> spi) {
        if (policies == null) {
            return Optional.empty();
        }
        Optional<T> active = policies.active(spi);
        if (active.isEmpty()) {
            return Optional.empty();
        }
        String name = policies.list().stream().filter(i -> i.family() == family && i.active()).map(PolicyInfo::name).findFirst()
                .orElse("active");
        return Optional.of(new ActivePolicy<>(active.get(), name));
    }
}
