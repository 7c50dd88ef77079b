package org.vireo.core.policy;

import java.io.IOException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongFunction;
import java.util.logging.Logger;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.vireo.api.cpu.CpuQosPolicy;
import org.vireo.api.hypervisor.Hypervisor;
import org.vireo.api.hypervisor.HypervisorType;
import org.vireo.api.inventory.ConflictException;
import org.vireo.api.inventory.EventCategory;
import org.vireo.api.inventory.EventService;
import org.vireo.api.inventory.NotFoundException;
import org.vireo.api.inventory.PolicyFamily;
import org.vireo.api.inventory.PolicyInfo;
import org.vireo.api.inventory.PolicyService;
import org.vireo.api.io.IoBackend;
import org.vireo.api.memory.MemoryReclaimPolicy;
import org.vireo.api.memory.MemoryReuseStrategy;
import org.vireo.api.migration.MigrationStrategy;
import org.vireo.api.model.Check;
import org.vireo.api.model.VireoException;

/**
 * The {@link PolicyService}: tracks every implementation of every SPI family (keyed by
 * {@code vireo.name}) and keeps the choice of each single-active family in the configuration
 * {@value #PID}. Selection lives in {@link PolicyRegistry}; this component feeds it and
 * posts a {@link EventCategory#POLICY} event for every change of an active implementation.
 * Immediate, so that it tracks the implementations from start-up, before anyone asks.
 */
@Component(service = PolicyService.class, configurationPid = PolicyManager.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        immediate = true)
@Designate(ocd = PolicyConfig.class)
public final class PolicyManager implements PolicyService {
    /** The configuration PID holding one property per single-active family id. */
    public static final String PID = "org.vireo.policy";
    /** The service property naming an implementation. */
    public static final String NAME = "vireo.name";

    private static final Logger LOG = Logger.getLogger(PolicyManager.class.getName());

    private final PolicyRegistry registry = new PolicyRegistry();
    private final ChoiceStore choices;
    private final EventService events;
    private final LongFunction<String> bundles;

    /**
     * @param config the configuration {@value #PID}
     * @param context this bundle's context, to name the bundles that register implementations
     * @param admin ConfigAdmin, where {@link #use} saves a choice
     * @param events the event log
     */
    @Activate
    public PolicyManager(PolicyConfig config, BundleContext context, @Reference ConfigurationAdmin admin,
            @Reference EventService events) {
        this(names(config), new ConfigAdminChoices(admin), events, id -> symbolicName(context, id));
    }

    /**
     * @param configured the initial choices
     * @param choices where {@link #use} saves a choice
     * @param events the event log
     * @param bundles the symbolic name of a bundle by id
     */
    public PolicyManager(Map<PolicyFamily, String> configured, ChoiceStore choices, EventService events, LongFunction<String> bundles) {
        this.choices = choices;
        this.events = events;
        this.bundles = bundles;
        post(registry.configure(configured, "configuration"));
    }

    /**
     * A configuration update. Configuration events arrive asynchronously and may be overtaken
     * by a later {@link #use}; the choice saved now wins over the one delivered, so a stale
     * event changes nothing.
     *
     * @param config the configuration as delivered
     */
    @Modified
    public void modified(PolicyConfig config) {
        configurationChanged(names(config));
    }

    /** @param delivered the choices as delivered with a configuration event */
    public synchronized void configurationChanged(Map<PolicyFamily, String> delivered) {
        post(registry.configure(choices.current().orElse(delivered), "configuration"));
    }

    @Override
    public List<PolicyInfo> list() {
        return registry.list();
    }

    @Override
    public synchronized PolicyInfo use(PolicyFamily family, String name) {
        Check.present("family", family);
        if (!family.isSingleActive()) {
            throw new ConflictException("cannot choose an implementation of " + family.id() + ": every installed one is in use; "
                    + "choices exist for " + singleFamilies());
        }
        Check.present("name", name);
        PolicyRegistry.Implementation chosen = registry.installed(family).stream().filter(i -> i.name().equals(name)).findFirst()
                .orElseThrow(() -> new NotFoundException("no " + family.id() + " implementation named '" + name
                        + "' is installed; installed: " + registry.names(family)));
        try {
            choices.save(family, name);
        } catch (IOException | RuntimeException e) {
            throw new VireoException("cannot save " + family.id() + "=" + name + " in configuration " + PID + ": " + e, e);
        }
        post(registry.configure(family, name, "policy:use"));
        return registry.info(chosen);
    }

    @Override
    public Optional<String> configured(PolicyFamily family) {
        return registry.configured(family);
    }

    @Override
    public <T> Optional<T> active(Class<T> spi) {
        return registry.active(spi);
    }

    @Override
    public <T> Optional<T> named(Class<T> spi, String name) {
        return registry.named(spi, name);
    }

    @Override
    public <T> List<T> all(Class<T> spi) {
        return registry.all(spi);
    }

    /**
     * Records an implementation (a service arrival or a change of its properties).
     *
     * @param family its family
     * @param service the service
     * @param properties its service properties
     */
    public void added(PolicyFamily family, Object service, Map<String, Object> properties) {
        Object name = properties.get(NAME);
        long id = number(properties.get(Constants.SERVICE_ID), -1);
        if (!(name instanceof String) || ((String) name).isBlank()) {
            LOG.warning(() -> "ignoring " + family.spi().getSimpleName() + " service #" + id + " of bundle "
                    + bundles.apply(number(properties.get(Constants.SERVICE_BUNDLEID), -1)) + ": it has no " + NAME + " property");
            registry.remove(family, id);
            return;
        }
        int ranking = (int) number(properties.get(Constants.SERVICE_RANKING), 0);
        String bundle = bundles.apply(number(properties.get(Constants.SERVICE_BUNDLEID), -1));
        post(registry.add(new PolicyRegistry.Implementation(family, ((String) name).trim(), ranking, id, bundle, service)));
    }

    /**
     * @param family the family of a departed service
     * @param properties its service properties
     */
    public void removed(PolicyFamily family, Map<String, Object> properties) {
        post(registry.remove(family, number(properties.get(Constants.SERVICE_ID), -1)));
    }

    // One reference per family: bind, updated and unbind feed the registry.

    @Reference(name = "cpu", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, updated = "updatedCpu", unbind = "unbindCpu")
    public void bindCpu(CpuQosPolicy s, Map<String, Object> p) { added(PolicyFamily.CPU, s, p); }
    public void updatedCpu(CpuQosPolicy s, Map<String, Object> p) { added(PolicyFamily.CPU, s, p); }
    public void unbindCpu(CpuQosPolicy s, Map<String, Object> p) { removed(PolicyFamily.CPU, p); }

    @Reference(name = "memory", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, updated = "updatedMemory", unbind = "unbindMemory")
    public void bindMemory(MemoryReclaimPolicy s, Map<String, Object> p) { added(PolicyFamily.MEMORY, s, p); }
    public void updatedMemory(MemoryReclaimPolicy s, Map<String, Object> p) { added(PolicyFamily.MEMORY, s, p); }
    public void unbindMemory(MemoryReclaimPolicy s, Map<String, Object> p) { removed(PolicyFamily.MEMORY, p); }

    @Reference(name = "memoryStrategy", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, updated = "updatedMemoryStrategy", unbind = "unbindMemoryStrategy")
    public void bindMemoryStrategy(MemoryReuseStrategy s, Map<String, Object> p) { added(PolicyFamily.MEMORY_STRATEGY, s, p); }
    public void updatedMemoryStrategy(MemoryReuseStrategy s, Map<String, Object> p) { added(PolicyFamily.MEMORY_STRATEGY, s, p); }
    public void unbindMemoryStrategy(MemoryReuseStrategy s, Map<String, Object> p) { removed(PolicyFamily.MEMORY_STRATEGY, p); }

    @Reference(name = "io", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, updated = "updatedIo", unbind = "unbindIo")
    public void bindIo(IoBackend s, Map<String, Object> p) { added(PolicyFamily.IO, s, p); }
    public void updatedIo(IoBackend s, Map<String, Object> p) { added(PolicyFamily.IO, s, p); }
    public void unbindIo(IoBackend s, Map<String, Object> p) { removed(PolicyFamily.IO, p); }

    @Reference(name = "migration", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, updated = "updatedMigration", unbind = "unbindMigration")
    public void bindMigration(MigrationStrategy s, Map<String, Object> p) { added(PolicyFamily.MIGRATION, s, p); }
    public void updatedMigration(MigrationStrategy s, Map<String, Object> p) { added(PolicyFamily.MIGRATION, s, p); }
    public void unbindMigration(MigrationStrategy s, Map<String, Object> p) { removed(PolicyFamily.MIGRATION, p); }

    @Reference(name = "hypervisor", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, updated = "updatedHypervisor", unbind = "unbindHypervisor")
    public void bindHypervisor(Hypervisor s, Map<String, Object> p) { added(PolicyFamily.HYPERVISOR, s, p); }
    public void updatedHypervisor(Hypervisor s, Map<String, Object> p) { added(PolicyFamily.HYPERVISOR, s, p); }
    public void unbindHypervisor(Hypervisor s, Map<String, Object> p) { removed(PolicyFamily.HYPERVISOR, p); }

    @Reference(name = "hypervisorType", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, updated = "updatedHypervisorType", unbind = "unbindHypervisorType")
    public void bindHypervisorType(HypervisorType s, Map<String, Object> p) { added(PolicyFamily.HYPERVISOR_TYPE, s, p); }
    public void updatedHypervisorType(HypervisorType s, Map<String, Object> p) { added(PolicyFamily.HYPERVISOR_TYPE, s, p); }
    public void unbindHypervisorType(HypervisorType s, Map<String, Object> p) { removed(PolicyFamily.HYPERVISOR_TYPE, p); }

    private void post(List<PolicyRegistry.Change> changes) {
        for (PolicyRegistry.Change change : changes) {
            events.post(EventCategory.POLICY, change.family().id(), change.type(), change.message());
        }
    }

    /**
     * @param config the typed configuration
     * @return the choice per single-active family
     */
    public static Map<PolicyFamily, String> names(PolicyConfig config) {
        Map<PolicyFamily, String> names = new EnumMap<>(PolicyFamily.class);
        if (config != null) {
            put(names, PolicyFamily.CPU, config.cpu());
            put(names, PolicyFamily.MEMORY, config.memory());
            put(names, PolicyFamily.MIGRATION, config.migration());
        }
        return names;
    }

    private static void put(Map<PolicyFamily, String> names, PolicyFamily family, String value) {
        if (value != null && !value.isBlank()) {
            names.put(family, value.trim());
        }
    }

    private static String singleFamilies() {
        StringBuilder sb = new StringBuilder();
        for (PolicyFamily family : PolicyFamily.values()) {
            if (family.isSingleActive()) {
                sb.append(sb.length() == 0 ? "" : ", ").append(family.id());
            }
        }
        return sb.toString();
    }

    private static long number(Object value, long fallback) {
        return value instanceof Number n ? n.longValue() : fallback;
    }

    private static String symbolicName(BundleContext context, long id) {
        Bundle bundle = context == null || id < 0 ? null : context.getBundle(id);
        return bundle == null || bundle.getSymbolicName() == null ? "bundle #" + id : bundle.getSymbolicName();
    }
}
