package org.vireo.api.inventory;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Which implementation of each SPI family is in use. For single-active families the one named
 * in configuration (ConfigAdmin PID {@code org.vireo.policy}, one property per family id) is
 * active; when it is absent, the highest-ranked remaining one is, and the named one returns as
 * soon as it is installed again. Hypervisors ask this service at every scheduling interval, so
 * a change takes effect at the next interval.
 *
 * @since 1.0
 */
@ProviderType
public interface PolicyService {
    /** @return every installed implementation of every family, families in declaration order */
    List<PolicyInfo> list();

    /**
     * Makes {@code name} the active implementation of a single-active family and saves the
     * choice in configuration. Posts a policy-swap event.
     *
     * @param family the family
     * @param name the implementation's {@code vireo.name}
     * @return the implementation now active
     * @throws NotFoundException if no such implementation is installed (lists those that are)
     * @throws ConflictException if the family is not single-active
     */
    PolicyInfo use(PolicyFamily family, String name);

    /**
     * @param family a single-active family
     * @return the name configured for it, which may not be installed
     */
    Optional<String> configured(PolicyFamily family);

    /**
     * The implementation in use now. Callers must not keep the result beyond the current
     * interval: the next call may return another.
     *
     * @param spi the SPI interface of a single-active family
     * @param <T> the SPI type
     * @return the active implementation, or empty if none is installed
     */
    <T> Optional<T> active(Class<T> spi);

    /**
     * @param spi the SPI interface of any family
     * @param name a {@code vireo.name}
     * @param <T> the SPI type
     * @return that implementation, if installed
     */
    <T> Optional<T> named(Class<T> spi, String name);

    /**
     * @param spi the SPI interface of any family
     * @param <T> the SPI type
     * @return every installed implementation, highest-ranked first
     */
    <T> List<T> all(Class<T> spi);
}
