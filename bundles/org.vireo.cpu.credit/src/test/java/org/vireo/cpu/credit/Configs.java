package org.vireo.cpu.credit;

import java.lang.reflect.Proxy;
import java.util.Map;

/** Builds a configuration annotation as SCR would: declared defaults, some values overridden. */
final class Configs {
    private Configs() {
    }

    static <A> A of(Class<A> type, Map<String, Object> overrides) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, m, args) -> {
            if (overrides.containsKey(m.getName())) {
                return overrides.get(m.getName());
            }
            if (m.getDefaultValue() != null) {
                return m.getDefaultValue();
            }
            return switch (m.getName()) {
                case "annotationType" -> type;
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                case "toString" -> type.getSimpleName() + overrides;
                default -> throw new IllegalStateException("no value for " + m.getName());
            };
        }));
    }
}
