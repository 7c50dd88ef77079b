package org.vireo.core.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Constants;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.vireo.api.cpu.CpuQosPolicy;
import org.vireo.api.inventory.ConflictException;
import org.vireo.api.inventory.EventCategory;
import org.vireo.api.inventory.NotFoundException;
import org.vireo.api.inventory.PolicyFamily;
import org.vireo.api.inventory.PolicyInfo;
import org.vireo.api.inventory.VireoEvent;
import org.vireo.api.model.VireoException;
import org.vireo.core.event.EventLog;

class PolicyManagerTest {
    /** Choices kept in memory, as ConfigAdmin would keep them. */
    static final class MemoryChoices implements ChoiceStore {
        final Map<PolicyFamily, String> saved = new EnumMap<>(PolicyFamily.class);
        boolean failing;

        @Override
        public void save(PolicyFamily family, String name) throws IOException {
            if (failing) {
                throw new IOException("disk full");
            }
            saved.put(family, name);
        }

        @Override
        public Optional<Map<PolicyFamily, String>> current() {
            return Optional.of(new EnumMap<>(saved));
        }
    }

    private EventLog events;
    private MemoryChoices choices;
    private PolicyManager manager;
    private long nextId = 100;

    @BeforeEach
    void setUp() {
        events = new EventLog();
        choices = new MemoryChoices();
        choices.saved.put(PolicyFamily.CPU, "reservation");
        manager = new PolicyManager(Map.of(PolicyFamily.CPU, "reservation"), choices, events, id -> "bundle." + id);
    }

    private Map<String, Object> install(String name, int ranking) {
        Map<String, Object> properties = new HashMap<>();
        properties.put(PolicyManager.NAME, name);
        properties.put(Constants.SERVICE_ID, nextId++);
        properties.put(Constants.SERVICE_RANKING, ranking);
        properties.put(Constants.SERVICE_BUNDLEID, 7L);
        manager.bindCpu(new PolicyRegistryTest.Cpu(name), properties);
        return properties;
    }

    private String active() {
        return manager.active(CpuQosPolicy.class).map(p -> ((PolicyRegistryTest.Cpu) p).name()).orElse(null);
    }

    private List<VireoEvent> policyEvents() {
        List<VireoEvent> policy = new ArrayList<>();
        for (VireoEvent e : events.since(0)) {
            if (e.category() == EventCategory.POLICY) {
                policy.add(e);
            }
        }
        return policy;
    }

    @Test
    void useTakesEffectAtOncePersistsAndPostsAnEvent() {
        install("reservation", 0);
        install("credit", 0);
        assertEquals("reservation", active());
        PolicyInfo info = manager.use(PolicyFamily.CPU, "credit");
        assertEquals(new PolicyInfo(PolicyFamily.CPU, "credit", 0, true, "bundle.7", "configured"), info);
        assertEquals("credit", active());
        assertEquals("credit", choices.saved.get(PolicyFamily.CPU));
        VireoEvent last = policyEvents().get(policyEvents().size() - 1);
        assertEquals("swapped", last.type());
        assertEquals("cpu", last.subject());
    }

    @Test
    void staleConfigurationEventDoesNotUndoALaterUse() {
        install("reservation", 0);
        install("credit", 0);
        install("fair", 0);
        manager.use(PolicyFamily.CPU, "credit");
        manager.use(PolicyFamily.CPU, "fair");
        int before = policyEvents().size();
        manager.configurationChanged(Map.of(PolicyFamily.CPU, "credit"));
        manager.configurationChanged(Map.of(PolicyFamily.CPU, "fair"));
        assertEquals("fair", active());
        assertEquals(before, policyEvents().size(), "configuration echoes of use() post nothing");
    }

    @Test
    void externalConfigurationChangeSwaps() {
        install("reservation", 0);
        install("credit", 0);
        choices.saved.put(PolicyFamily.CPU, "credit");
        manager.configurationChanged(Map.of(PolicyFamily.CPU, "credit"));
        assertEquals("credit", active());
        assertTrue(policyEvents().get(policyEvents().size() - 1).message().contains("set by configuration"));
    }

    @Test
    void configuredReturnsAfterItsBundleComesBack() {
        Map<String, Object> reservation = install("reservation", 0);
        install("credit", 10);
        assertEquals("reservation", active());
        manager.unbindCpu(null, reservation);
        assertEquals("credit", active());
        install("reservation", 0);
        assertEquals("reservation", active());
        List<String> types = policyEvents().stream().map(VireoEvent::type).toList();
        assertEquals(List.of("returned", "fell-back", "returned"), types);
    }

    @Test
    void useRefusesUnknownNamesAndMultiFamiliesAndChangesNothing() {
        install("reservation", 0);
        NotFoundException missing = assertThrows(NotFoundException.class, () -> manager.use(PolicyFamily.CPU, "credit"));
        assertEquals("no cpu implementation named 'credit' is installed; installed: reservation", missing.getMessage());
        ConflictException multi = assertThrows(ConflictException.class, () -> manager.use(PolicyFamily.HYPERVISOR, "sim"));
        assertTrue(multi.getMessage().contains("every installed one is in use"), multi.getMessage());
        assertEquals("reservation", choices.saved.get(PolicyFamily.CPU));
        assertEquals("reservation", active());
    }

    @Test
    void failedSaveChangesNothing() {
        install("reservation", 0);
        install("credit", 0);
        choices.failing = true;
        VireoException e = assertThrows(VireoException.class, () -> manager.use(PolicyFamily.CPU, "credit"));
        assertTrue(e.getMessage().contains("cannot save cpu=credit in configuration org.vireo.policy"), e.getMessage());
        assertEquals("reservation", active());
    }

    @Test
    void serviceWithoutNameIsIgnored() {
        Map<String, Object> properties = new HashMap<>();
        properties.put(Constants.SERVICE_ID, 5L);
        manager.bindCpu(new PolicyRegistryTest.Cpu("anonymous"), properties);
        assertEquals(List.of(), manager.list());
    }

    @Test
    void updatedPropertiesAreTakenIntoAccount() {
        install("reservation", 0);
        Map<String, Object> credit = install("credit", 0);
        manager.use(PolicyFamily.CPU, "credit");
        credit.put(PolicyManager.NAME, "credit2");
        manager.updatedCpu(new PolicyRegistryTest.Cpu("credit2"), credit);
        assertEquals("reservation", active(), "credit is no longer installed under its configured name");
    }

    @Test
    void configAdminChoicesWriteTheFamilyPropertyAndKeepTheOthers() throws IOException {
        Hashtable<String, Object> stored = new Hashtable<>();
        stored.put("memory", "reclaim");
        stored.put(Constants.SERVICE_PID, PolicyManager.PID);
        List<String> calls = new ArrayList<>();
        Configuration configuration = (Configuration) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Configuration.class}, (proxy, method, args) -> {
                    calls.add(method.getName());
                    switch (method.getName()) {
                        case "getProperties":
                            return new Hashtable<>(stored);
                        case "update":
                            @SuppressWarnings("unchecked") Dictionary<String, Object> d = (Dictionary<String, Object>) args[0];
                            stored.clear();
                            for (java.util.Enumeration<String> keys = d.keys(); keys.hasMoreElements();) {
                                String key = keys.nextElement();
                                stored.put(key, d.get(key));
                            }
                            return null;
                        default:
                            throw new UnsupportedOperationException(method.getName());
                    }
                });
        ConfigurationAdmin admin = (ConfigurationAdmin) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ConfigurationAdmin.class}, (proxy, method, args) -> {
                    calls.add(method.getName() + (args == null ? "" : List.of(args)));
                    return switch (method.getName()) {
                        case "getConfiguration" -> configuration;
                        case "listConfigurations" -> new Configuration[] {configuration};
                        default -> throw new UnsupportedOperationException(method.getName());
                    };
                });
        ConfigAdminChoices choices = new ConfigAdminChoices(admin);
        choices.save(PolicyFamily.CPU, "credit");
        assertEquals("credit", stored.get("cpu"));
        assertEquals("reclaim", stored.get("memory"));
        assertTrue(calls.contains("getConfiguration[org.vireo.policy, ?]"), calls.toString());
        Map<PolicyFamily, String> expected = new EnumMap<>(PolicyFamily.class);
        expected.put(PolicyFamily.CPU, "credit");
        expected.put(PolicyFamily.MEMORY, "reclaim");
        assertEquals(Optional.of(expected), choices.current());
    }
}
