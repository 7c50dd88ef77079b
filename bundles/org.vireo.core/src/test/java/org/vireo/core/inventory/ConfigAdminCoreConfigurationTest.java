package org.vireo.core.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/** Core's configuration through a ConfigAdmin double that answers only what the class may call. */
class ConfigAdminCoreConfigurationTest {
    private final List<String> calls = new ArrayList<>();
    private Dictionary<String, Object> stored;

    @SuppressWarnings("unchecked")
    private final Configuration configuration = (Configuration) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {Configuration.class}, (proxy, method, args) -> {
                switch (method.getName()) {
                    case "getProperties":
                        return stored == null ? null : new Hashtable<>((Hashtable<String, Object>) stored);
                    case "update":
                        calls.add("update " + args[0]);
                        stored = (Dictionary<String, Object>) args[0];
                        return null;
                    default:
                        throw new UnsupportedOperationException(method.getName());
                }
            });

    private final ConfigurationAdmin admin = (ConfigurationAdmin) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {ConfigurationAdmin.class}, (proxy, method, args) -> {
                switch (method.getName()) {
                    case "listConfigurations":
                        calls.add("list " + args[0]);
                        return stored == null ? null : new Configuration[] {configuration};
                    case "getConfiguration":
                        calls.add("get " + List.of(args));
                        return configuration;
                    default:
                        throw new UnsupportedOperationException(method.getName());
                }
            });

    @Test
    void readingAConfigurationThatDoesNotExistCreatesNone() {
        assertEquals(Map.of(), new ConfigAdminCoreConfiguration(admin).read());
        assertEquals(List.of("list (service.pid=org.vireo.core)"), calls);
    }

    @Test
    void readLeavesOutWhatConfigAdminSetsAndWriteKeepsTheConfigurationDeliverableToCore() {
        Hashtable<String, Object> existing = new Hashtable<>(Map.of("service.pid", "org.vireo.core", "overcommitRatio", 2.0));
        stored = existing;
        ConfigAdminCoreConfiguration core = new ConfigAdminCoreConfiguration(admin);
        assertEquals(Map.of("overcommitRatio", 2.0), core.read());
        core.write(Map.of("overcommitRatio", 1.25));
        assertEquals(List.of("list (service.pid=org.vireo.core)", "get [org.vireo.core, ?]", "update {overcommitRatio=1.25}"), calls);
    }
}
