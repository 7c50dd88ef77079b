package org.vireo.core.inventory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.vireo.api.hypervisor.Hypervisor;
import org.vireo.api.hypervisor.HypervisorType;
import org.vireo.api.inventory.ConflictException;
import org.vireo.api.inventory.EventCategory;
import org.vireo.api.inventory.EventService;
import org.vireo.api.inventory.NotFoundException;
import org.vireo.api.inventory.PolicyService;
import org.vireo.api.model.HostSpec;
import org.vireo.api.model.VireoException;
import org.vireo.api.model.VmState;
import org.vireo.core.disk.VmFiles;
import org.vireo.core.store.DataFolder;
import org.vireo.core.store.DocumentStore;
import org.vireo.core.store.FormatVersion;
import org.vireo.core.store.HostDocument;
import org.vireo.core.store.VmDocument;

/**
 * The inventory shared by {@link HostManager} and {@link VmManager}: the host and VM
 * definitions (saved in the data folder, rebuilt from it at start-up), the installed
 * hypervisors and hypervisor types, which hosts are attached, and the monitor that pulls
 * hypervisor events.
 * <p>
 * Reads are lock-free (immutable documents in concurrent maps). Every change runs under one
 * lock, {@link #locked}, and is saved before it is acknowledged. Long copies (clone, export,
 * import) run outside the lock while the VMs involved are marked {@link #reserve busy}.
 * <p>
 * Immediate: the inventory attaches its hosts as soon as core starts, not when the first
 * command asks for it. When the framework itself stops, hypervisors and types that leave
 * before core do not stop the VMs of their hosts: the guests of a real hypervisor keep running
 * and are re-attached at the next start.
 */
@Component(service = Inventory.class, configurationPid = Inventory.PID, immediate = true)
@Designate(ocd = CoreConfig.class)
public final class Inventory {
    /** The configuration PID of core. */
    public static final String PID = "org.vireo.core";
    /** The service property naming hypervisors and hypervisor types. */
    public static final String NAME = "vireo.name";

    private static final Logger LOG = Logger.getLogger(Inventory.class.getName());

    private final DataFolder data;
    private final DocumentStore<HostDocument> hostStore;
    private final DocumentStore<VmDocument> vmStore;
    private final VmFiles files;
    private final EventService events;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, HostDocument> hosts = new ConcurrentHashMap<>();
    private final Map<String, VmDocument> vms = new ConcurrentHashMap<>();
    private final Map<String, Busy> busy = new ConcurrentHashMap<>();
    private final NamedServices<Hypervisor> hypervisors = new NamedServices<>();
    private final NamedServices<HypervisorType> types = new NamedServices<>();
    private final Attacher attacher;
    private final List<String> loadProblems;
    private volatile Settings settings;
    private volatile PolicyService policies;
    private volatile boolean closed;
    private final BooleanSupplier frameworkStopping;
    private final Monitor monitor;
    private final Views views;

    /**
     * @param context this bundle's context, for the framework property {@value DataFolder#PROPERTY}
     * @param config the configuration {@value #PID}
     * @param events the event log
     */
    @Activate
    public Inventory(BundleContext context, CoreConfig config, @Reference EventService events) {
        this(new DataFolder(DataFolder.choose(context.getProperty(DataFolder.PROPERTY), System.getProperty("user.home"),
                System.getProperty("java.io.tmpdir"))), Settings.from(config), events, () -> frameworkStopping(context));
        startMonitor();
    }

    /**
     * @param context a bundle context
     * @return whether the framework is stopping (or this bundle's context is no longer valid)
     */
    static boolean frameworkStopping(BundleContext context) {
        try {
            Bundle system = context.getBundle(Constants.SYSTEM_BUNDLE_ID);
            return system == null || system.getState() == Bundle.STOPPING;
        } catch (IllegalStateException invalid) {
            return true;
        }
    }

    /**
     * Loads the inventory from the data folder. No host is attached until hypervisors and
     * types are bound; the monitor does not run until {@link #startMonitor()}.
     *
     * @param data the data folder
     * @param settings admission and monitoring settings
     * @param events the event log
     */
    public Inventory(DataFolder data, Settings settings, EventService events) {
        this(data, settings, events, () -> false);
    }

    /**
     * @param data the data folder
     * @param settings admission and monitoring settings
     * @param events the event log
     * @param frameworkStopping whether the framework is stopping: then a hypervisor or type that
     *        leaves takes nothing with it (see the class description)
     */
    public Inventory(DataFolder data, Settings settings, EventService events, BooleanSupplier frameworkStopping) {
        this.data = data;
        this.frameworkStopping = frameworkStopping;
        this.settings = settings;
        this.events = events;
        this.hostStore = new DocumentStore<>(data.hosts(), "host.json", HostDocument.class, HostDocument::name);
        this.vmStore = new DocumentStore<>(data.vms(), "vm.json", VmDocument.class, VmDocument::name);
        this.files = new VmFiles(data, vmStore);
        this.attacher = new Attacher(this);
        this.monitor = new Monitor(this);
        this.views = new Views(this);
        this.loadProblems = List.copyOf(load());
    }

    private List<String> load() {
        DocumentStore.Loaded<HostDocument> loadedHosts;
        DocumentStore.Loaded<VmDocument> loadedVms;
        try {
            loadedHosts = hostStore.load();
            loadedVms = vmStore.load();
        } catch (IOException e) {
            throw new VireoException("cannot read the inventory in " + data.root() + ": " + e, e);
        }
        loadedHosts.documents().forEach(h -> hosts.put(h.name(), h));
        List<String> problems = new ArrayList<>(loadedHosts.problems());
        problems.addAll(loadedVms.problems());
        for (String problem : problems) {
            LOG.warning("skipped an unreadable definition (kept as it is): " + problem);
            events.post(EventCategory.SYSTEM, "inventory", "load-problem", "skipped (kept as it is): " + problem);
        }
        for (VmDocument vm : loadedVms.documents()) {
            vms.put(vm.name(), vm);
            if (!hosts.containsKey(vm.host())) {
                LOG.warning("VM '" + vm.name() + "' is placed on host '" + vm.host() + "', which is not in the inventory");
            }
            if (vm.state().isActive()) {
                String message = "VM '" + vm.name() + "' was " + vm.state()
                        + " when Vireo stopped; no hypervisor holds it until its host is attached again";
                try {
                    changeState(vm, VmState.STOPPED, message);
                } catch (VireoException e) {
                    LOG.warning(message + "; its vm.json cannot be updated: " + e.getMessage());
                    vms.put(vm.name(), vm.withState(VmState.STOPPED));
                }
            }
        }
        events.post(EventCategory.SYSTEM, "inventory", "loaded", hosts.size() + " hosts and " + vms.size() + " VMs loaded from "
                + data.root() + (problems.isEmpty() ? "" : "; " + problems.size() + " unreadable definitions skipped"));
        return problems;
    }

    /** Starts polling the attached hosts' events at the configured interval. */
    public void startMonitor() {
        if (!closed) {
            monitor.start(settings.monitorIntervalMillis());
        }
    }

    /**
     * @param config the new configuration: the overcommit ratios (global and per cluster) apply
     *        to the next admission, the interval to the monitor at once
     */
    @Modified
    public void modified(CoreConfig config) {
        apply(Settings.from(config));
    }

    /**
     * Applies new settings: the overcommit ratios from the next admission, the interval to the
     * monitor at once. Called when SCR delivers the configuration and when the overcommit ratios
     * are changed through core, which then applies them before ConfigAdmin delivers them.
     *
     * @param next the settings
     */
    void apply(Settings next) {
        Settings before = settings;
        settings = next;
        if (!settings.equals(before)) {
            LOG.info("settings now: global overcommit ratio " + settings.overcommitRatio() + ", clusters' overcommit ratios "
                    + settings.clusterOvercommit() + ", monitor interval " + settings.monitorIntervalMillis() + " ms");
        }
        monitor.reschedule(settings.monitorIntervalMillis());
    }

    /** Stops the monitor. Hosts stay attached to their hypervisors and VMs keep running. */
    @Deactivate
    public void close() {
        closed = true;
        monitor.stop();
    }

    /** Pulls every attached host's new events and applies the VM state changes they report. */
    public void pollAll() {
        monitor.pollAll();
    }

    boolean isClosed() {
        return closed;
    }

    // ---- installed hypervisors and types -------------------------------------------------

    /**
     * @param hypervisor a hypervisor that arrived
     * @param properties its service properties
     */
    @Reference(name = "hypervisor", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindHypervisor")
    public void bindHypervisor(Hypervisor hypervisor, Map<String, Object> properties) {
        if (hypervisors.add(hypervisor, properties).isEmpty()) {
            LOG.warning("ignoring a Hypervisor service without " + NAME + ": " + properties);
            return;
        }
        locked(attacher::attachAll);
    }

    /**
     * @param hypervisor a hypervisor that left
     * @param properties its service properties
     */
    public void unbindHypervisor(Hypervisor hypervisor, Map<String, Object> properties) {
        hypervisors.remove(properties).ifPresent(gone -> {
            if (closed) {
                return;
            }
            if (frameworkStopping.getAsBoolean()) {
                LOG.fine(() -> "the framework is stopping: hypervisor '" + gone.name() + "' leaves its hosts' VMs as they are");
                locked(() -> attacher.letGo(gone.id()));
            } else {
                locked(() -> attacher.hypervisorGone(gone.id(), gone.name()));
            }
        });
    }

    /**
     * @param type a hypervisor type that arrived
     * @param properties its service properties
     */
    @Reference(name = "hypervisorType", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindType")
    public void bindType(HypervisorType type, Map<String, Object> properties) {
        if (types.add(type, properties).isEmpty()) {
            LOG.warning("ignoring a HypervisorType service without " + NAME + ": " + properties);
            return;
        }
        locked(attacher::attachAll);
    }

    /**
     * @param type a hypervisor type that left
     * @param properties its service properties
     */
    public void unbindType(HypervisorType type, Map<String, Object> properties) {
        types.remove(properties).ifPresent(gone -> {
            if (closed) {
                return;
            }
            if (frameworkStopping.getAsBoolean()) {
                LOG.fine(() -> "the framework is stopping: hypervisor type '" + gone.name() + "' leaves its hosts' VMs running");
                locked(() -> attacher.letGo(gone.id()));
            } else {
                locked(() -> attacher.typeGone(gone.id(), gone.name()));
            }
        });
    }

    /** @param service the policy service, used for CPU admission */
    @Reference(name = "policies", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unsetPolicies")
    public void setPolicies(PolicyService service) {
        policies = service;
    }

    /** @param service the policy service that left */
    public void unsetPolicies(PolicyService service) {
        if (policies == service) {
            policies = null;
        }
    }

    NamedServices<Hypervisor> hypervisors() {
        return hypervisors;
    }

    NamedServices<HypervisorType> types() {
        return types;
    }

    Attacher attacher() {
        return attacher;
    }

    /** @return the policy service, or {@code null} while it is absent */
    PolicyService policies() {
        return policies;
    }

    Settings settings() {
        return settings;
    }

    DataFolder data() {
        return data;
    }

    VmFiles files() {
        return files;
    }

    DocumentStore<VmDocument> vmStore() {
        return vmStore;
    }

    EventService events() {
        return events;
    }

    // ---- locking and reservations ----------------------------------------------------------

    /**
     * @param change a change of the inventory
     * @param <T> its result
     * @return its result
     */
    <T> T locked(Supplier<T> change) {
        lock.lock();
        try {
            return change.get();
        } finally {
            lock.unlock();
        }
    }

    void locked(Runnable change) {
        locked(() -> {
            change.run();
            return null;
        });
    }

    /** A long operation holding a VM name; {@code host} is where a new VM will be placed, or {@code null}. */
    private record Busy(String what, String host) {
    }

    /**
     * Claims a VM name for a long operation: a new name (clone, import) or an existing VM whose
     * files are being read (clone, export). Call with the lock held.
     *
     * @param name the VM's name
     * @param what the operation, for messages
     * @param host for a new VM, the host it will be placed on (which then cannot be removed
     *        meanwhile), else {@code null}
     * @throws ConflictException if another operation holds it
     */
    void reserve(String name, String what, String host) {
        Busy holder = busy.putIfAbsent(name, new Busy(what, host));
        if (holder != null) {
            throw new ConflictException("VM '" + name + "' is busy: " + holder.what() + " is in progress");
        }
    }

    /**
     * @param host a host's name
     * @return the operations placing a new VM on it
     */
    List<String> pendingOn(String host) {
        return busy.values().stream().filter(b -> host.equals(b.host())).map(Busy::what).sorted().collect(Collectors.toList());
    }

    void release(String name) {
        busy.remove(name);
    }

    /**
     * @param name a VM's name
     * @throws ConflictException if a long operation holds it
     */
    void requireIdle(String name) {
        Busy holder = busy.get(name);
        if (holder != null) {
            throw new ConflictException("VM '" + name + "' is busy: " + holder.what() + " is in progress; try again when it is done");
        }
    }

    /**
     * Checks that {@code name} may be given to a new VM. Call with the lock held.
     *
     * @param name the name
     * @throws ConflictException if a VM has it, an operation claims it, or its directory exists
     */
    void requireNewName(String name) {
        VmDocument existing = vms.get(name);
        if (existing != null) {
            throw new ConflictException("a VM named '" + name + "' exists already (on host '" + existing.host() + "')");
        }
        requireIdle(name);
        Path dir = data.vm(name);
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new ConflictException("cannot define VM '" + name + "': its directory " + dir + " exists but holds no readable "
                    + "definition (see the load problems); it is kept as it is: repair or move it first");
        }
    }

    // ---- hosts -------------------------------------------------------------------------------

    /** @return every host definition, by name */
    List<HostDocument> hostDocuments() {
        return hosts.values().stream().sorted(Comparator.comparing(HostDocument::name)).collect(Collectors.toList());
    }

    Optional<HostDocument> findHost(String name) {
        return Optional.ofNullable(name == null ? null : hosts.get(name));
    }

    /**
     * @param name a host's name
     * @return its definition
     * @throws NotFoundException naming the hosts that exist
     */
    HostDocument host(String name) {
        return findHost(name).orElseThrow(() -> new NotFoundException("no host named '" + name + "'; "
                + (hosts.isEmpty() ? "there are no hosts" : "hosts: " + String.join(", ", new TreeSet<>(hosts.keySet())))));
    }

    /**
     * Saves a new host. Call with the lock held.
     *
     * @param spec the host
     * @return its document
     * @throws VireoException if it cannot be written
     */
    HostDocument saveNewHost(HostSpec spec) {
        HostDocument document = new HostDocument(FormatVersion.CURRENT, spec, Instant.now().toString());
        Path work = null;
        try {
            work = hostStore.workDirectory(spec.name(), "adding");
            hostStore.write(work, document);
            hostStore.commit(work, spec.name());
        } catch (IOException e) {
            if (work != null) {
                DocumentStore.deleteTree(work);
            }
            throw new VireoException("cannot save host '" + spec.name() + "' in " + hostStore.directory(spec.name()) + ": " + e, e);
        }
        hosts.put(spec.name(), document);
        return document;
    }

    /**
     * Deletes a host's definition. Call with the lock held.
     *
     * @param name the host's name
     */
    void deleteHost(String name) {
        try {
            hostStore.delete(name);
        } catch (IOException e) {
            throw new VireoException("cannot delete host '" + name + "' (" + hostStore.directory(name) + "): " + e, e);
        }
        hosts.remove(name);
    }

    /**
     * @param name a host's name
     * @return whether a directory (readable or not) exists for it
     */
    boolean hostDirectoryExists(String name) {
        return Files.exists(hostStore.directory(name), LinkOption.NOFOLLOW_LINKS);
    }

    Views views() {
        return views;
    }

    // ---- VMs ---------------------------------------------------------------------------------

    /** @return every VM definition, by name */
    List<VmDocument> vmDocuments() {
        return vms.values().stream().sorted(Comparator.comparing(VmDocument::name)).collect(Collectors.toList());
    }

    Optional<VmDocument> findVm(String name) {
        return Optional.ofNullable(name == null ? null : vms.get(name));
    }

    /**
     * @param name a VM's name
     * @return its definition
     * @throws NotFoundException naming some VMs that exist
     */
    VmDocument vm(String name) {
        return findVm(name).orElseThrow(() -> {
            List<String> names = vms.keySet().stream().sorted().limit(20).collect(Collectors.toList());
            return new NotFoundException("no VM named '" + name + "'; " + (names.isEmpty() ? "there are no VMs"
                    : "VMs: " + String.join(", ", names) + (vms.size() > names.size() ? ", ..." : "")));
        });
    }

    /**
     * @param host a host's name
     * @return the VMs placed on it, by name
     */
    List<VmDocument> vmsOn(String host) {
        return vmDocuments().stream().filter(v -> v.host().equals(host)).collect(Collectors.toList());
    }

    /**
     * Saves a VM's changed document. Call with the lock held.
     *
     * @param document the document
     * @return the document
     * @throws VireoException if it cannot be written; the inventory is then unchanged
     */
    VmDocument save(VmDocument document) {
        try {
            vmStore.write(data.vm(document.name()), document);
        } catch (IOException e) {
            throw new VireoException("cannot save VM '" + document.name() + "' in " + data.vm(document.name()) + ": " + e, e);
        }
        vms.put(document.name(), document);
        return document;
    }

    /**
     * Records a VM whose directory has just been committed. Call with the lock held.
     *
     * @param document its document
     */
    void register(VmDocument document) {
        vms.put(document.name(), document);
    }

    /**
     * Forgets a VM whose directory has been deleted. Call with the lock held.
     *
     * @param name the VM's name
     */
    void unregister(String name) {
        vms.remove(name);
    }

    /**
     * Saves a VM in a new state and records the event. Call with the lock held.
     *
     * @param vm the VM
     * @param state its new state
     * @param message for the event log
     * @return the saved document
     */
    VmDocument changeState(VmDocument vm, VmState state, String message) {
        VmDocument saved = save(vm.withState(state));
        events.post(EventCategory.VM, vm.name(), state.name().toLowerCase(Locale.ROOT), message);
        return saved;
    }

    /** @return the definitions found in the data folder that could not be read */
    List<String> loadProblems() {
        return loadProblems;
    }
}
