package org.vireo.core.inventory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.osgi.framework.Constants;

/**
 * Services of one SPI keyed by their {@code vireo.name}; where several share a name, the
 * highest {@code service.ranking} (then the lowest {@code service.id}) serves.
 *
 * @param <T> the SPI
 */
final class NamedServices<T> {
    /**
     * One registered service.
     *
     * @param name its {@code vireo.name}
     * @param ranking its {@code service.ranking}
     * @param id its {@code service.id}
     * @param service the service object
     * @param <T> the SPI
     */
    record Named<T>(String name, int ranking, long id, T service) {
    }

    private static final Comparator<Named<?>> ORDER = Comparator.<Named<?>>comparingInt(Named::ranking).reversed()
            .thenComparingLong(Named::id);

    private final List<Named<T>> services = new ArrayList<>();

    /**
     * @param service the service
     * @param properties its properties
     * @return the entry, or empty if it has no {@code vireo.name}
     */
    synchronized Optional<Named<T>> add(T service, Map<String, Object> properties) {
        Object name = properties.get(Inventory.NAME);
        long id = number(properties.get(Constants.SERVICE_ID), -1);
        services.removeIf(s -> s.id() == id);
        if (!(name instanceof String) || ((String) name).isBlank()) {
            return Optional.empty();
        }
        Named<T> named = new Named<>(((String) name).trim(), (int) number(properties.get(Constants.SERVICE_RANKING), 0), id, service);
        services.add(named);
        services.sort(ORDER);
        return Optional.of(named);
    }

    /**
     * @param properties the properties of a departed service
     * @return its entry, if it was known
     */
    synchronized Optional<Named<T>> remove(Map<String, Object> properties) {
        long id = number(properties.get(Constants.SERVICE_ID), -1);
        Optional<Named<T>> gone = services.stream().filter(s -> s.id() == id).findFirst();
        gone.ifPresent(services::remove);
        return gone;
    }

    /**
     * @param name a {@code vireo.name}
     * @return the service serving that name
     */
    synchronized Optional<Named<T>> get(String name) {
        return services.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** @return the names installed, sorted, or "none" */
    synchronized String names() {
        TreeSet<String> names = new TreeSet<>();
        services.forEach(s -> names.add(s.name()));
        return names.isEmpty() ? "none" : String.join(", ", names);
    }

    static long number(Object value, long fallback) {
        return value instanceof Number n ? n.longValue() : fallback;
    }
}
