package org.vireo.core.inventory;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.vireo.api.cpu.CpuQosPolicy;
import org.vireo.api.hypervisor.HostSnapshot;
import org.vireo.api.hypervisor.Hypervisor;
import org.vireo.api.hypervisor.HypervisorException;
import org.vireo.api.hypervisor.VmSnapshot;
import org.vireo.api.inventory.ConflictException;
import org.vireo.api.inventory.EventCategory;
import org.vireo.api.inventory.NotFoundException;
import org.vireo.api.inventory.PolicyFamily;
import org.vireo.api.inventory.VmAdminService;
import org.vireo.api.inventory.VmService;
import org.vireo.api.inventory.VmView;
import org.vireo.api.model.Check;
import org.vireo.api.model.CpuQos;
import org.vireo.api.model.DiskSpec;
import org.vireo.api.model.HostSpec;
import org.vireo.api.model.InvalidSpecException;
import org.vireo.api.model.MemoryQos;
import org.vireo.api.model.VmSpec;
import org.vireo.api.model.VmState;
import org.vireo.core.lifecycle.Operation;
import org.vireo.core.lifecycle.VmLifecycle;
import org.vireo.core.store.FormatVersion;
import org.vireo.core.store.HostDocument;
import org.vireo.core.store.UnreadableDocumentException;
import org.vireo.core.store.VmDocument;

/**
 * The {@link VmAdminService}: defines VMs with their disks, drives their lifecycle through the
 * host's hypervisor after admission control, and clones, exports, imports and destroys them.
 * Every change is saved in the VM's {@code vm.json} before it is acknowledged; a refused
 * request changes nothing.
 */
@Component(service = {VmAdminService.class, VmService.class})
public final class VmManager implements VmAdminService {
    private static final Logger LOG = Logger.getLogger(VmManager.class.getName());

    private final Inventory inventory;

    /** @param inventory the inventory */
    @Activate
    public VmManager(@Reference Inventory inventory) {
        this.inventory = inventory;
    }

    @Override
    public List<VmView> vms() {
        return inventory.views().vms(inventory.vmDocuments());
    }

    @Override
    public Optional<VmView> findVm(String name) {
        return inventory.findVm(name).map(inventory.views()::vm);
    }

    @Override
    public VmView vm(String name) {
        return inventory.views().vm(inventory.vm(name));
    }

    @Override
    public List<String> loadProblems() {
        return inventory.loadProblems();
    }

    // ---- definition ----------------------------------------------------------------------------

    @Override
    public VmView create(VmSpec spec, String host) {
        Check.present("spec", spec);
        return inventory.locked(() -> {
            inventory.requireNewName(spec.name());
            HostDocument target = host == null ? place(spec) : inventory.host(host);
            requireDatastores(spec, target.host());
            requireOrdinaryName(spec.name(), target.host());
            VmDocument document = new VmDocument(FormatVersion.CURRENT, spec, target.name(), VmState.DEFINED, Instant.now().toString(),
                    null, newVolumes(spec.name(), spec.disks()));
            inventory.files().checkNew(document);
            inventory.files().create(document);
            inventory.register(document);
            post(spec.name(), "defined", "VM '" + spec.name() + "' defined on host '" + target.name() + "': " + spec.vcpus()
                    + " vCPUs, " + spec.memoryMiB() + " MiB, " + spec.disks().size() + " disks");
            return inventory.views().vm(document);
        });
    }

    @Override
    public void destroy(String name) {
        inventory.locked(() -> {
            VmDocument vm = prepare(name, Operation.DESTROY);
            List<String> clones = linkedClonesOf(vm);
            if (!clones.isEmpty()) {
                throw new ConflictException("cannot destroy VM '" + name + "': linked clones reference its disks: "
                        + String.join("; ", clones) + " (destroy the clones first)");
            }
            inventory.files().delete(name);
            inventory.unregister(name);
            post(name, "destroyed", "VM '" + name + "' destroyed with its directory" + (vm.volumes().isEmpty() ? ""
                    : "; shared volumes kept: " + String.join(", ", vm.volumes().values())));
        });
    }

    @Override
    public VmView cloneVm(String source, String newName, boolean linked) {
        Check.name("clone.name", newName);
        VmDocument clone = inventory.locked(() -> {
            VmDocument from = prepare(source, Operation.CLONE);
            inventory.requireNewName(newName);
            requireOrdinaryName(newName, inventory.host(from.host()).host());
            List<DiskSpec> disks = new ArrayList<>();
            for (DiskSpec disk : from.vm().disks()) {
                disks.add(linked && !disk.shared() ? disk.withBase(inventory.files().disk(source, disk).toString()) : disk);
            }
            VmDocument document = new VmDocument(FormatVersion.CURRENT, from.vm().withName(newName).withDisks(disks), from.host(),
                    VmState.DEFINED, Instant.now().toString(), source, from.volumes());
            inventory.files().checkNew(document);
            inventory.reserve(source, (linked ? "linked" : "full") + " clone to '" + newName + "'", null);
            inventory.reserve(newName, "clone of '" + source + "'", from.host());
            return document;
        });
        try {
            if (linked) {
                inventory.files().link(clone);
            } else {
                inventory.files().copy(clone, inventory.data().vm(source));
            }
        } catch (RuntimeException e) {
            inventory.locked(() -> {
                inventory.release(newName);
                inventory.release(source);
            });
            throw e;
        }
        return inventory.locked(() -> {
            inventory.register(clone);
            inventory.release(newName);
            inventory.release(source);
            post(newName, "cloned", "VM '" + newName + "' is a " + (linked ? "linked" : "full") + " clone of '" + source + "' on host '"
                    + clone.host() + "'");
            return inventory.views().vm(clone);
        });
    }

    @Override
    public String exportVm(String name, String directory) {
        Path target = path("directory", directory);
        inventory.locked(() -> {
            prepare(name, Operation.EXPORT);
            inventory.reserve(name, "export to " + target, null);
        });
        try {
            Path written = inventory.files().export(inventory.vm(name), target);
            post(name, "exported", "VM '" + name + "' exported to " + written);
            return written.toString();
        } finally {
            inventory.locked(() -> inventory.release(name));
        }
    }

    @Override
    public VmView importVm(String directory, String newName) {
        Path source = path("directory", directory);
        if (!Files.isDirectory(source)) {
            throw new NotFoundException("cannot import: directory " + source + " does not exist");
        }
        VmDocument exported;
        try {
            exported = inventory.vmStore().read(inventory.vmStore().file(source));
        } catch (UnreadableDocumentException e) {
            throw new InvalidSpecException("directory", source.toString(), "an exported VM directory with a readable vm.json; "
                    + inventory.vmStore().file(source) + " is not: " + e.getMessage());
        }
        String name = newName == null ? exported.name() : Check.name("name", newName);
        VmSpec spec = exported.vm().withName(name);
        VmDocument imported = inventory.locked(() -> {
            inventory.requireNewName(name);
            HostDocument host = inventory.findHost(exported.host()).orElseGet(() -> place(spec));
            requireDatastores(spec, host.host());
            requireOrdinaryName(name, host.host());
            Map<String, String> volumes = new TreeMap<>(newVolumes(exported.name(), spec.disks()));
            volumes.putAll(exported.volumes());
            volumes.keySet().retainAll(spec.disks().stream().filter(DiskSpec::shared).map(DiskSpec::name).collect(Collectors.toSet()));
            VmDocument document = new VmDocument(FormatVersion.CURRENT, spec, host.name(), VmState.DEFINED, Instant.now().toString(),
                    null, volumes);
            inventory.files().checkNew(document);
            inventory.reserve(name, "import from " + source, host.name());
            return document;
        });
        try {
            inventory.files().copy(imported, source);
        } catch (RuntimeException e) {
            inventory.locked(() -> inventory.release(name));
            throw e;
        }
        return inventory.locked(() -> {
            inventory.register(imported);
            inventory.release(name);
            post(name, "imported", "VM '" + name + "' imported from " + source + " onto host '" + imported.host() + "'");
            return inventory.views().vm(imported);
        });
    }

    // ---- lifecycle -----------------------------------------------------------------------------

    @Override
    public VmView start(String name) {
        return inventory.locked(() -> {
            VmDocument vm = prepare(name, Operation.START);
            HostSpec host = inventory.host(vm.host()).host();
            Attacher.Attachment attachment = inventory.attacher().require(host);
            admit(Scope.START, host, attachment, vm.vm());
            String directory = inventory.data().vm(name).toString();
            VmSnapshot started = call(attachment, vm, "start", h -> h.start(vm.host(), vm.vm(), directory));
            VmState after = started == null ? null : started.state();
            if (after == null || !VmLifecycle.isOutcome(vm.state(), Operation.START, after)) {
                throw new HypervisorException("hypervisor '" + attachment.hypervisorName() + "' reported VM '" + name + "' as " + after
                        + " after starting it on host '" + vm.host() + "'; expected STARTING or RUNNING");
            }
            return inventory.views().vm(inventory.changeState(vm, after, "VM '" + name + "' started on host '" + vm.host() + "'"));
        });
    }

    @Override
    public VmView stop(String name, boolean force) {
        return transition(name, Operation.STOP, force ? "powered off" : "shut down", (h, vm) -> h.stop(vm.host(), name, force));
    }

    @Override
    public VmView pause(String name) {
        return transition(name, Operation.PAUSE, "paused", (h, vm) -> h.pause(vm.host(), name));
    }

    @Override
    public VmView resume(String name) {
        return transition(name, Operation.RESUME, "resumed", (h, vm) -> h.resume(vm.host(), name));
    }

    @Override
    public VmView crash(String name) {
        return transition(name, Operation.CRASH, "crashed on request (fault injection)", (h, vm) -> h.crash(vm.host(), name));
    }

    @Override
    public VmView setCpuQos(String name, CpuQos qos) {
        Check.present("cpu", qos);
        return reconfigure(name, spec -> spec.withCpu(qos), true, "CPU QoS set to limit " + (qos.isLimited() ? qos.limitMhz()
                + " MHz" : "none") + ", reservation " + qos.reservationMhz() + " MHz, shares " + qos.shares());
    }

    @Override
    public VmView setMemoryQos(String name, MemoryQos qos) {
        Check.present("memory", qos);
        return reconfigure(name, spec -> spec.withMemory(qos), false, "memory QoS set to reservation " + qos.reservationMiB()
                + " MiB, shares " + qos.shares());
    }

    private interface Action {
        void run(Hypervisor hypervisor, VmDocument vm);
    }

    private VmView transition(String name, Operation operation, String done, Action action) {
        return inventory.locked(() -> {
            VmDocument vm = prepare(name, operation);
            Attacher.Attachment attachment = inventory.attacher().require(inventory.host(vm.host()).host());
            call(attachment, vm, operation.verb(), h -> {
                action.run(h, vm);
                return null;
            });
            VmState after = operation.to().iterator().next();
            return inventory.views().vm(inventory.changeState(vm, after, "VM '" + name + "' " + done + " on host '" + vm.host() + "'"));
        });
    }

    private VmView reconfigure(String name, UnaryOperator<VmSpec> change, boolean cpu, String done) {
        return inventory.locked(() -> {
            VmDocument vm = prepare(name, null);
            VmSpec next = change.apply(vm.vm());
            if (vm.state().isActive()) {
                HostSpec host = inventory.host(vm.host()).host();
                Attacher.Attachment attachment = inventory.attacher().require(host);
                admit(cpu ? Scope.CPU_QOS : Scope.MEMORY_QOS, host, attachment, next);
                call(attachment, vm, "reconfigure", h -> {
                    h.reconfigure(vm.host(), next);
                    return null;
                });
            }
            VmDocument saved = inventory.save(vm.withVm(next));
            post(name, "qos", "VM '" + name + "': " + done + (vm.state().isActive() ? ", effective from the next interval" : ""));
            return inventory.views().vm(saved);
        });
    }

    /**
     * Finds a VM, applies the events its host reported meanwhile (so the check sees its real
     * state) and checks that the operation is legal. Call with the lock held.
     */
    private VmDocument prepare(String name, Operation operation) {
        VmDocument vm = inventory.vm(name);
        inventory.requireIdle(name);
        if (inventory.attacher().attachment(vm.host()).isPresent()) {
            try {
                inventory.attacher().poll(vm.host());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "cannot read the events of host '" + vm.host() + "': " + e, e);
            }
            vm = inventory.vm(name);
        }
        if (operation != null) {
            VmLifecycle.check(name, vm.state(), operation);
        }
        return vm;
    }

    /** What admission checks: a start checks everything; a QoS change only what it changes. */
    private enum Scope {
        START("start"), CPU_QOS("change the CPU QoS of"), MEMORY_QOS("change the memory QoS of");

        private final String action;

        Scope(String action) {
            this.action = action;
        }
    }

    private void admit(Scope scope, HostSpec host, Attacher.Attachment attachment, VmSpec candidate) {
        String action = scope.action;
        List<VmSpec> holding = inventory.vmsOn(host.name()).stream()
                .filter(v -> v.state().isActive() && !v.name().equals(candidate.name())).map(VmDocument::vm)
                .collect(Collectors.toList());
        if (scope != Scope.MEMORY_QOS) {
            Optional<ActivePolicy<CpuQosPolicy>> policy = ActivePolicy.of(inventory.policies(), PolicyFamily.CPU, CpuQosPolicy.class);
            AdmissionControl.checkCpu(action, AdmissionControl.cpuSnapshot(host, attachment.profile(), holding, demands(attachment, host)),
                    candidate, policy.map(ActivePolicy::policy).orElse(null), policy.map(ActivePolicy::name).orElse(""));
        }
        if (scope != Scope.CPU_QOS) {
            AdmissionControl.checkMemory(action, host, attachment.profile(), holding, candidate,
                    inventory.settings().overcommit(host.cluster()), scope == Scope.START);
        }
    }

    private static Map<String, Double> demands(Attacher.Attachment attachment, HostSpec host) {
        Map<String, Double> demands = new HashMap<>();
        try {
            HostSnapshot snapshot = attachment.hypervisor().snapshot(host.name());
            if (snapshot != null) {
                snapshot.vms().stream().filter(v -> !attachment.privileged(v.name()))
                        .forEach(v -> demands.put(v.name(), v.cpu().demandMhz()));
            }
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "no snapshot of host '" + host.name() + "' for admission: " + e, e);
        }
        return demands;
    }

    private interface HypervisorCall<T> {
        T call(Hypervisor hypervisor);
    }

    private static <T> T call(Attacher.Attachment attachment, VmDocument vm, String what, HypervisorCall<T> call) {
        try {
            return call.call(attachment.hypervisor());
        } catch (HypervisorException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new HypervisorException("hypervisor '" + attachment.hypervisorName() + "' failed to " + what + " VM '" + vm.name()
                    + "' on host '" + vm.host() + "': " + e, e);
        }
    }

    // ---- placement and checks ------------------------------------------------------------------

    private HostDocument place(VmSpec spec) {
        List<HostDocument> hosts = inventory.hostDocuments();
        if (hosts.isEmpty()) {
            throw new NotFoundException("cannot place VM '" + spec.name() + "': there are no hosts; add one first");
        }
        List<Placement.Candidate> candidates = new ArrayList<>();
        List<String> detached = new ArrayList<>();
        for (HostDocument host : hosts) {
            Optional<Attacher.Attachment> attachment = inventory.attacher().attachment(host.name());
            if (attachment.isEmpty()) {
                detached.add(host.name() + " (" + inventory.attacher().problem(host.host()) + ")");
                continue;
            }
            long allocated = inventory.vmsOn(host.name()).stream().mapToLong(v -> v.vm().memoryMiB()).sum();
            candidates.add(new Placement.Candidate(host.host(), attachment.get().profile(), allocated));
        }
        if (candidates.isEmpty()) {
            throw new NotFoundException("cannot place VM '" + spec.name() + "': no host is attached: " + String.join(", ", detached));
        }
        return Placement.choose(candidates, spec).map(c -> inventory.host(c.host().name()))
                .orElseThrow(() -> new NotFoundException("cannot place VM '" + spec.name() + "': no attached host has every datastore "
                        + "its disks need (" + datastores(spec) + ")"));
    }

    private static void requireDatastores(VmSpec spec, HostSpec host) {
        for (DiskSpec disk : spec.disks()) {
            if (!host.hasDatastore(disk.datastore())) {
                throw new NotFoundException("datastore '" + disk.datastore() + "' of disk '" + disk.name() + "' of VM '" + spec.name()
                        + "' is not on host '" + host.name() + "'; its datastores: "
                        + host.datastores().stream().map(d -> d.name()).collect(Collectors.joining(", ")));
            }
        }
    }

    /** A VM never takes the name of its host's privileged domain, which the hypervisor reports among its VMs. */
    private void requireOrdinaryName(String name, HostSpec host) {
        String privileged = inventory.attacher().attachment(host.name()).map(a -> a.profile().privilegedDomain()).orElse(null);
        if (name.equals(privileged)) {
            throw new InvalidSpecException("name", name, "a name other than '" + privileged + "', the privileged domain of host '"
                    + host.name() + "'");
        }
    }

    private static String datastores(VmSpec spec) {
        return new TreeSet<>(spec.disks().stream().map(DiskSpec::datastore).collect(Collectors.toSet())).toString();
    }

    private Map<String, String> newVolumes(String vm, List<DiskSpec> disks) {
        Map<String, String> volumes = new TreeMap<>();
        for (DiskSpec disk : disks) {
            if (disk.shared()) {
                volumes.put(disk.name(), inventory.data().volume(vm, disk));
            }
        }
        return volumes;
    }

    /** @return one line per disk of another VM whose base is one of {@code vm}'s disk files */
    private List<String> linkedClonesOf(VmDocument vm) {
        Set<Path> own = vm.vm().disks().stream().filter(d -> !d.shared()).map(d -> inventory.files().disk(vm.name(), d).normalize())
                .collect(Collectors.toSet());
        List<String> clones = new ArrayList<>();
        for (VmDocument other : inventory.vmDocuments()) {
            if (other.name().equals(vm.name())) {
                continue;
            }
            for (DiskSpec disk : other.vm().disks()) {
                if (disk.base() != null && own.contains(Path.of(disk.base()).toAbsolutePath().normalize())) {
                    clones.add(other.name() + " (disk '" + disk.name() + "' on " + disk.base() + ")");
                }
            }
        }
        return clones;
    }

    private static Path path(String field, String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidSpecException(field, text, "a directory path");
        }
        try {
            return Path.of(text).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new InvalidSpecException(field, text, "a valid directory path (" + e.getReason() + ")");
        }
    }

    private void post(String vm, String type, String message) {
        inventory.events().post(EventCategory.VM, vm, type, message);
    }
}
