package org.vireo.core.policy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.vireo.api.inventory.PolicyFamily;
import org.vireo.api.inventory.PolicyInfo;
import org.vireo.api.model.InvalidSpecException;

/**
 * The installed implementations of every SPI family and, for single-active families, which
 * one is active: the configured name when installed, else the highest {@code service.ranking}
 * (ties: lowest {@code service.id}).
 * <p>
 * Writers (service arrivals and departures, configuration) are serialized and publish a new
 * immutable snapshot; readers ({@link #active}, {@link #named}, {@link #all}), which
 * hypervisors call at every scheduling interval, read one volatile field and never lock.
 */
public final class PolicyRegistry {
    /**
     * One registered service.
     *
     * @param family its family
     * @param name its {@code vireo.name}
     * @param ranking its {@code service.ranking}
     * @param serviceId its {@code service.id}
     * @param bundle the symbolic name of the bundle that registered it
     * @param service the service object
     */
    public record Implementation(PolicyFamily family, String name, int ranking, long serviceId, String bundle, Object service) {
        /** Rejects missing parts. */
        public Implementation {
            Objects.requireNonNull(family, "family");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(service, "service");
        }
    }

    /**
     * A change of the active implementation of a single-active family.
     *
     * @param family the family
     * @param type {@code swapped}, {@code fell-back}, {@code returned}, {@code selected} or {@code none}
     * @param before the name active before, or {@code null}
     * @param after the name active now, or {@code null}
     * @param message for people
     */
    public record Change(PolicyFamily family, String type, String before, String after, String message) {
    }

    private record Family(List<Implementation> installed, Implementation active, String configured, String detail) {
        static final Family EMPTY = new Family(List.of(), null, null, "");
    }

    /** Highest ranking first, then lowest service id. */
    private static final Comparator<Implementation> ORDER = Comparator.comparingInt(Implementation::ranking).reversed()
            .thenComparingLong(Implementation::serviceId);

    private static final Map<Class<?>, PolicyFamily> BY_SPI;

    static {
        Map<Class<?>, PolicyFamily> bySpi = new HashMap<>();
        for (PolicyFamily family : PolicyFamily.values()) {
            bySpi.put(family.spi(), family);
        }
        BY_SPI = Map.copyOf(bySpi);
    }

    private volatile Map<PolicyFamily, Family> families;

    /** An empty registry: nothing installed, nothing configured. */
    public PolicyRegistry() {
        Map<PolicyFamily, Family> empty = new EnumMap<>(PolicyFamily.class);
        for (PolicyFamily family : PolicyFamily.values()) {
            empty.put(family, Family.EMPTY);
        }
        families = Collections.unmodifiableMap(empty);
    }

    /**
     * @param implementation a service that arrived (or whose properties changed, after {@link #remove})
     * @return the change of the active implementation, if any
     */
    public synchronized List<Change> add(Implementation implementation) {
        PolicyFamily family = implementation.family();
        Family now = families.get(family);
        List<Implementation> installed = new ArrayList<>(now.installed());
        installed.removeIf(i -> i.serviceId() == implementation.serviceId());
        installed.add(implementation);
        return publish(family, installed, now.configured(), Cause.ADDED, implementation.name());
    }

    /**
     * @param family the service's family
     * @param serviceId its {@code service.id}
     * @return the change of the active implementation, if any
     */
    public synchronized List<Change> remove(PolicyFamily family, long serviceId) {
        Family now = families.get(family);
        Optional<Implementation> gone = now.installed().stream().filter(i -> i.serviceId() == serviceId).findFirst();
        if (gone.isEmpty()) {
            return List.of();
        }
        List<Implementation> installed = new ArrayList<>(now.installed());
        installed.remove(gone.get());
        return publish(family, installed, now.configured(), Cause.REMOVED, gone.get().name());
    }

    /**
     * Sets the configured names of every single-active family; a family missing from the map
     * has none. Idempotent: configuring what is configured changes nothing.
     *
     * @param configured family to name
     * @param by who made the change, for the message (e.g. {@code configuration})
     * @return the changes of active implementations
     */
    public synchronized List<Change> configure(Map<PolicyFamily, String> configured, String by) {
        List<Change> changes = new ArrayList<>();
        for (PolicyFamily family : PolicyFamily.values()) {
            if (family.isSingleActive()) {
                changes.addAll(configure(family, configured.get(family), by));
            }
        }
        return changes;
    }

    /**
     * @param family a single-active family
     * @param name the name to make active when installed, or {@code null} for none
     * @param by who made the change, for the message
     * @return the change of the active implementation, if any
     */
    public synchronized List<Change> configure(PolicyFamily family, String name, String by) {
        Family now = families.get(family);
        String configured = name == null || name.isBlank() ? null : name.trim();
        if (Objects.equals(configured, now.configured())) {
            return List.of();
        }
        return publish(family, now.installed(), configured, Cause.CONFIGURED, by);
    }

    private enum Cause { ADDED, REMOVED, CONFIGURED }

    private List<Change> publish(PolicyFamily family, List<Implementation> unsorted, String configured, Cause cause, String who) {
        List<Implementation> installed = new ArrayList<>(unsorted);
        installed.sort(ORDER);
        Implementation before = families.get(family).active();
        Implementation active = null;
        String detail = "";
        if (family.isSingleActive() && !installed.isEmpty()) {
            active = installed.stream().filter(i -> i.name().equals(configured)).findFirst().orElse(installed.get(0));
            if (active.name().equals(configured)) {
                detail = "configured";
            } else if (configured == null) {
                detail = "highest ranked (none configured)";
            } else {
                detail = "fallback: configured '" + configured + "' is absent";
            }
        }
        Map<PolicyFamily, Family> next = new EnumMap<>(families);
        next.put(family, new Family(List.copyOf(installed), active, configured, detail));
        families = Collections.unmodifiableMap(next);

        long beforeId = before == null ? -1 : before.serviceId();
        long afterId = active == null ? -1 : active.serviceId();
        if (!family.isSingleActive() || beforeId == afterId) {
            return List.of();
        }
        String was = before == null ? "none" : before.name();
        String f = family.id();
        Change change;
        if (active == null) {
            change = new Change(family, "none", was, null, f + ": " + was + " was uninstalled; no implementation is installed");
        } else if (cause == Cause.CONFIGURED) {
            change = new Change(family, "swapped", was, active.name(), f + ": " + active.name() + " is active (was " + was
                    + "), set by " + who + (active.name().equals(configured) ? "" : "; " + detail));
        } else if (cause == Cause.REMOVED) {
            change = new Change(family, "fell-back", was, active.name(), f + ": " + who + " was uninstalled; " + active.name()
                    + " is active (" + detail + ")");
        } else if (active.name().equals(configured)) {
            change = new Change(family, "returned", was, active.name(), f + ": configured " + active.name()
                    + " is installed and active again (was " + was + ")");
        } else {
            change = new Change(family, "selected", was, active.name(), f + ": " + active.name() + " is active (was " + was + "; "
                    + detail + ")");
        }
        return List.of(change);
    }

    /**
     * @param spi the SPI interface of a single-active family
     * @param <T> its type
     * @return the active implementation, or empty
     */
    public <T> Optional<T> active(Class<T> spi) {
        PolicyFamily family = family(spi);
        if (!family.isSingleActive()) {
            throw new InvalidSpecException("spi", spi.getName(), "the SPI of a single-active family (" + singleSpis()
                    + "); use all() or named() for " + family.id());
        }
        Implementation active = families.get(family).active();
        return active == null ? Optional.empty() : Optional.of(spi.cast(active.service()));
    }

    /**
     * @param spi the SPI interface of any family
     * @param name a {@code vireo.name}
     * @param <T> its type
     * @return the highest-ranked implementation of that name, or empty
     */
    public <T> Optional<T> named(Class<T> spi, String name) {
        for (Implementation i : families.get(family(spi)).installed()) {
            if (i.name().equals(name)) {
                return Optional.of(spi.cast(i.service()));
            }
        }
        return Optional.empty();
    }

    /**
     * @param spi the SPI interface of any family
     * @param <T> its type
     * @return every installed implementation, highest-ranked first
     */
    public <T> List<T> all(Class<T> spi) {
        List<Implementation> installed = families.get(family(spi)).installed();
        List<T> services = new ArrayList<>(installed.size());
        for (Implementation i : installed) {
            services.add(spi.cast(i.service()));
        }
        return services;
    }

    /**
     * @param family a family
     * @return its installed implementations, highest-ranked first
     */
    public List<Implementation> installed(PolicyFamily family) {
        return families.get(family).installed();
    }

    /**
     * @param family a single-active family
     * @return the active implementation, if any
     */
    public Optional<Implementation> activeImplementation(PolicyFamily family) {
        return Optional.ofNullable(families.get(family).active());
    }

    /**
     * @param family a family
     * @return the configured name, if any
     */
    public Optional<String> configured(PolicyFamily family) {
        return Optional.ofNullable(families.get(family).configured());
    }

    /** @return every installed implementation of every family, families in declaration order */
    public List<PolicyInfo> list() {
        Map<PolicyFamily, Family> snapshot = families;
        List<PolicyInfo> infos = new ArrayList<>();
        for (PolicyFamily family : PolicyFamily.values()) {
            Family f = snapshot.get(family);
            for (Implementation i : f.installed()) {
                infos.add(info(f, i));
            }
        }
        return infos;
    }

    /**
     * @param implementation an installed implementation
     * @return its description
     */
    public PolicyInfo info(Implementation implementation) {
        return info(families.get(implementation.family()), implementation);
    }

    private static PolicyInfo info(Family f, Implementation i) {
        boolean single = i.family().isSingleActive();
        boolean active = !single || f.active() != null && f.active().serviceId() == i.serviceId();
        String detail = !single ? "in use" : active ? f.detail() : "standby";
        return new PolicyInfo(i.family(), i.name(), i.ranking(), active, i.bundle(), detail);
    }

    /**
     * @param family a family
     * @return the names installed, highest-ranked first, for messages
     */
    public String names(PolicyFamily family) {
        List<Implementation> installed = families.get(family).installed();
        return installed.isEmpty() ? "none" : installed.stream().map(Implementation::name).distinct().collect(Collectors.joining(", "));
    }

    private static PolicyFamily family(Class<?> spi) {
        PolicyFamily family = spi == null ? null : BY_SPI.get(spi);
        if (family == null) {
            throw new InvalidSpecException("spi", spi == null ? null : spi.getName(), "the SPI interface of a policy family ("
                    + BY_SPI.keySet().stream().map(Class::getSimpleName).sorted().collect(Collectors.joining(", ")) + ")");
        }
        return family;
    }

    private static String singleSpis() {
        List<String> names = new ArrayList<>();
        for (PolicyFamily family : PolicyFamily.values()) {
            if (family.isSingleActive()) {
                names.add(family.spi().getSimpleName());
            }
        }
        return String.join(", ", names);
    }
}
