package org.vireo.testing;

import java.lang.reflect.Proxy;
import java.util.Map;

/**
 * A component's configuration annotation answered as SCR answers it: each attribute's declared
 * default, unless a value is given for it. For building components outside the framework.
 */
public final class Configs {
    private Configs() {
    }

    /**
     * @param <A> the configuration annotation
     * @param type its class
     * @return an instance answering every attribute with its declared default
     * @throws IllegalStateException when an attribute without a default is read
     */
    public static <A> A defaults(Class<A> type) {
        return of(type, Map.of());
    }

    /**
     * @param <A> the configuration annotation
     * @param type its class
     * @param overrides values by attribute name, used instead of the defaults
     * @return an instance answering the overrides, else each attribute's declared default
     * @throws IllegalStateException when an attribute with neither is read
     */
    public static <A> A of(Class<A> type, Map<String, Object> overrides) {
        Map<String, Object> values = Map.copyOf(overrides);
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, m, args) -> {
            if (values.containsKey(m.getName())) {
                return values.get(m.getName());
            }
            if (m.getDefaultValue() != null) {
                return m.getDefaultValue();
            }
            return switch (m.getName()) {
                case "annotationType" -> type;
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                case "toString" -> type.getSimpleName() + values;
                default -> throw new IllegalStateException(type.getName() + "." + m.getName() + " has no default and no value");
            };
        }));
    }
}
