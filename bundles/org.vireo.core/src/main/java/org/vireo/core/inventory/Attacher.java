package org.vireo.core.inventory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.vireo.api.hypervisor.HostSnapshot;
import org.vireo.api.hypervisor.Hypervisor;
import org.vireo.api.hypervisor.HypervisorEvent;
import org.vireo.api.hypervisor.HypervisorException;
import org.vireo.api.hypervisor.HypervisorType;
import org.vireo.api.hypervisor.TypeProfile;
import org.vireo.api.hypervisor.VmSnapshot;
import org.vireo.api.inventory.EventCategory;
import org.vireo.api.inventory.NotFoundException;
import org.vireo.api.model.HostSpec;
import org.vireo.api.model.VmState;
import org.vireo.core.lifecycle.VmLifecycle;
import org.vireo.core.store.HostDocument;
import org.vireo.core.store.VmDocument;

/**
 * Which hosts are attached to which hypervisor, and what follows when hypervisors and types
 * come and go: a host is attached as soon as both its hypervisor and its type are installed;
 * when either leaves, the host is detached and its VMs are marked stopped (their definitions
 * stay). Also applies the VM state changes hypervisors report as events.
 * <p>
 * Every method that changes something is called with the inventory's lock held.
 */
final class Attacher {
    /**
     * A host under a hypervisor's management.
     *
     * @param host the host's name
     * @param hypervisorName the hypervisor's {@code vireo.name}
     * @param hypervisor the hypervisor
     * @param hypervisorId its {@code service.id}
     * @param typeId the {@code service.id} of the host's type
     * @param profile the type's overheads on the host
     * @param lastSequence the last hypervisor event applied
     */
    record Attachment(String host, String hypervisorName, Hypervisor hypervisor, long hypervisorId, long typeId, TypeProfile profile,
            long lastSequence) {
        Attachment seen(long sequence) {
            return new Attachment(host, hypervisorName, hypervisor, hypervisorId, typeId, profile, sequence);
        }

        /**
         * @param vm a name the hypervisor reports
         * @return whether it is the host's privileged domain (e.g. Dom0), which the hypervisor
         *         lists among its VMs but which is never a VM of the inventory
         */
        boolean privileged(String vm) {
            return vm != null && vm.equals(profile.privilegedDomain());
        }
    }

    private static final Logger LOG = Logger.getLogger(Attacher.class.getName());

    private final Inventory inventory;
    private final Map<String, Attachment> attachments = new ConcurrentHashMap<>();
    private final Map<String, String> failures = new ConcurrentHashMap<>();

    Attacher(Inventory inventory) {
        this.inventory = inventory;
    }

    Optional<Attachment> attachment(String host) {
        return Optional.ofNullable(attachments.get(host));
    }

    List<String> attachedHosts() {
        return new ArrayList<>(new TreeSet<>(attachments.keySet()));
    }

    /**
     * @param host a host
     * @return why it is not attached, or empty when it is
     */
    String problem(HostSpec host) {
        if (attachments.containsKey(host.name())) {
            return "";
        }
        List<String> missing = new ArrayList<>();
        if (inventory.hypervisors().get(host.hypervisor()).isEmpty()) {
            missing.add("hypervisor '" + host.hypervisor() + "' is not installed");
        }
        if (inventory.types().get(host.type().id()).isEmpty()) {
            missing.add("hypervisor type '" + host.type().id() + "' is not installed");
        }
        if (!missing.isEmpty()) {
            return String.join("; ", missing);
        }
        return failures.getOrDefault(host.name(), "not attached");
    }

    /**
     * @param host a host
     * @return the attachment
     * @throws NotFoundException saying why the host is not attached
     */
    Attachment require(HostSpec host) {
        Attachment attachment = attachments.get(host.name());
        if (attachment == null) {
            throw new NotFoundException("host '" + host.name() + "' is not attached: " + problem(host));
        }
        return attachment;
    }

    /**
     * Checks that a new host could be attached.
     *
     * @param spec the host
     * @throws NotFoundException naming what is missing and what is installed
     */
    void requireInstalled(HostSpec spec) {
        if (inventory.types().get(spec.type().id()).isEmpty()) {
            throw new NotFoundException("cannot add host '" + spec.name() + "': hypervisor type '" + spec.type().id()
                    + "' is not installed; installed types: " + inventory.types().names());
        }
        if (inventory.hypervisors().get(spec.hypervisor()).isEmpty()) {
            throw new NotFoundException("cannot add host '" + spec.name() + "': hypervisor '" + spec.hypervisor()
                    + "' is not installed; installed hypervisors: " + inventory.hypervisors().names());
        }
    }

    /** Attaches every host whose hypervisor and type are installed and that is not attached yet. */
    void attachAll() {
        for (HostDocument host : inventory.hostDocuments()) {
            if (!attachments.containsKey(host.name())) {
                try {
                    attach(host.host());
                } catch (RuntimeException e) {
                    failures.put(host.name(), "attaching failed: " + e.getMessage());
                    LOG.log(Level.WARNING, "cannot attach host '" + host.name() + "': " + e, e);
                    inventory.events().post(EventCategory.HOST, host.name(), "attach-failed", e.getMessage());
                }
            }
        }
    }

    /**
     * Attaches a host if its hypervisor and type are installed.
     *
     * @param spec the host
     * @return the hypervisor's snapshot, or empty if something is missing
     * @throws HypervisorException if the hypervisor refuses the host
     */
    Optional<HostSnapshot> attach(HostSpec spec) {
        Optional<NamedServices.Named<Hypervisor>> hypervisor = inventory.hypervisors().get(spec.hypervisor());
        Optional<NamedServices.Named<HypervisorType>> type = inventory.types().get(spec.type().id());
        if (hypervisor.isEmpty() || type.isEmpty()) {
            return Optional.empty();
        }
        Hypervisor h = hypervisor.get().service();
        TypeProfile profile = call(spec, "profile", () -> type.get().service().profile(spec));
        // A hypervisor that still holds the host (core restarted, or the host was detached and
        // comes back) keeps its older events: those were applied when they happened, and applying
        // them again would move VMs back to states long left. Only what attaching posts is new.
        Set<HypervisorEvent> older = new HashSet<>(events(h, spec.name()));
        HostSnapshot snapshot = call(spec, "attach", () -> h.attachHost(spec, profile));
        List<HypervisorEvent> attaching = new ArrayList<>();
        long last = 0;
        for (HypervisorEvent event : events(h, spec.name())) {
            last = Math.max(last, event.sequence());
            if (!older.contains(event)) {
                attaching.add(event);
            }
        }
        Attachment attachment = new Attachment(spec.name(), hypervisor.get().name(), h, hypervisor.get().id(), type.get().id(),
                profile, last);
        attachments.put(spec.name(), attachment);
        failures.remove(spec.name());
        inventory.events().post(EventCategory.HOST, spec.name(), "attached", "host '" + spec.name() + "' is driven by hypervisor '"
                + spec.hypervisor() + "' (" + profile.description() + ")");
        if (snapshot != null) {
            reconcile(spec.name(), snapshot, profile);
        }
        // after the snapshot, which they may postdate (a guest that exits right after being re-attached)
        for (HypervisorEvent event : attaching) {
            apply(attachment, event, true);
        }
        return Optional.ofNullable(snapshot);
    }

    /** @return the events a hypervisor holds for a host, none while it does not know the host */
    private static List<HypervisorEvent> events(Hypervisor h, String host) {
        try {
            List<HypervisorEvent> events = h.events(host, 0);
            return events == null ? List.of() : events;
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "no events from host '" + host + "' yet: " + e, e);
            return List.of();
        }
    }

    /**
     * A hypervisor that was just attached reports which VMs it still runs; the others are
     * stopped. Its privileged domain is not one of them, whatever the inventory holds.
     */
    private void reconcile(String host, HostSnapshot snapshot, TypeProfile profile) {
        for (VmDocument vm : inventory.vmsOn(host)) {
            VmState reported = vm.name().equals(profile.privilegedDomain()) ? null
                    : snapshot.vm(vm.name()).map(VmSnapshot::state).filter(VmState::isActive).orElse(null);
            if (reported != null && reported != vm.state()) {
                inventory.changeState(vm, reported, "VM '" + vm.name() + "' is " + reported + " on host '" + host
                        + "', as its hypervisor reports on attaching");
            } else if (reported == null && vm.state().isActive()) {
                inventory.changeState(vm, VmState.STOPPED, "VM '" + vm.name() + "' is not running on host '" + host
                        + "', as its hypervisor reports on attaching");
            }
        }
    }

    /**
     * Detaches a host that is being removed: asks its hypervisor to release it.
     *
     * @param host the host's name
     */
    void release(String host) {
        Attachment attachment = attachments.remove(host);
        failures.remove(host);
        if (attachment != null) {
            try {
                attachment.hypervisor().detachHost(host);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "hypervisor '" + attachment.hypervisorName() + "' failed to release host '" + host + "': " + e, e);
            }
        }
    }

    /**
     * A hypervisor left: its hosts are detached and their VMs marked stopped; another
     * hypervisor of the same name, if installed, takes them over.
     *
     * @param serviceId the departed service
     * @param name its {@code vireo.name}
     */
    void hypervisorGone(long serviceId, String name) {
        for (Attachment attachment : new ArrayList<>(attachments.values())) {
            if (attachment.hypervisorId() == serviceId) {
                detach(attachment, "hypervisor '" + name + "' is not installed");
            }
        }
        attachAll();
    }

    /**
     * A hypervisor type left: its hosts' VMs are stopped in their hypervisor (which needs the
     * type's profile to run them), the hosts released and detached; another type of the same
     * name, if installed, takes them over.
     *
     * @param serviceId the departed service
     * @param name its {@code vireo.name}
     */
    void typeGone(long serviceId, String name) {
        for (Attachment attachment : new ArrayList<>(attachments.values())) {
            if (attachment.typeId() == serviceId) {
                for (VmDocument vm : inventory.vmsOn(attachment.host())) {
                    if (vm.state().isActive()) {
                        try {
                            attachment.hypervisor().stop(attachment.host(), vm.name(), true);
                        } catch (RuntimeException e) {
                            LOG.log(Level.WARNING, "cannot stop VM '" + vm.name() + "' on host '" + attachment.host() + "': " + e, e);
                        }
                    }
                }
                try {
                    attachment.hypervisor().detachHost(attachment.host());
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "cannot release host '" + attachment.host() + "': " + e, e);
                }
                detach(attachment, "hypervisor type '" + name + "' is not installed");
            }
        }
        attachAll();
    }

    /**
     * The framework is stopping and a hypervisor or type leaves before core: its hosts are
     * forgotten without touching their VMs, which keep running (a real hypervisor's guests are
     * re-attached at the next start) and keep their saved state.
     *
     * @param serviceId the departed hypervisor or type
     */
    void letGo(long serviceId) {
        attachments.values().removeIf(a -> a.hypervisorId() == serviceId || a.typeId() == serviceId);
    }

    private void detach(Attachment attachment, String reason) {
        String host = attachment.host();
        attachments.remove(host);
        for (VmDocument vm : inventory.vmsOn(host)) {
            if (vm.state().isActive()) {
                inventory.changeState(vm, VmState.STOPPED, "VM '" + vm.name() + "' is stopped: host '" + host + "' is detached ("
                        + reason + "); its definition is kept");
            }
        }
        inventory.events().post(EventCategory.HOST, host, "detached", "host '" + host + "' is detached: " + reason);
    }

    /**
     * Pulls a host's new events and applies the VM state changes they report.
     *
     * @param host an attached host
     */
    void poll(String host) {
        Attachment attachment = attachments.get(host);
        if (attachment == null) {
            return;
        }
        List<HypervisorEvent> news = attachment.hypervisor().events(host, attachment.lastSequence());
        long last = attachment.lastSequence();
        for (HypervisorEvent event : news == null ? List.<HypervisorEvent>of() : news) {
            if (event.sequence() <= last) {
                continue;
            }
            last = event.sequence();
            apply(attachment, event, false);
        }
        if (last != attachment.lastSequence() && attachments.get(host) == attachment) {
            attachments.put(host, attachment.seen(last));
        }
    }

    /**
     * Applies the VM state an event reports, or records its message where it reports none.
     *
     * @param announce whether an event that changes no state is still recorded: those posted
     *        while attaching (re-attached, gone) say what reconciling already applied silently
     */
    private void apply(Attachment attachment, HypervisorEvent event, boolean announce) {
        String host = attachment.host();
        boolean privileged = attachment.privileged(event.vm());
        Optional<VmDocument> vm = event.vm() == null || privileged ? Optional.empty()
                : inventory.findVm(event.vm()).filter(v -> v.host().equals(host));
        if (vm.isEmpty() || event.state() == null) {
            // the privileged domain is part of the host, not a VM of the inventory
            boolean aboutVm = event.vm() != null && !privileged;
            inventory.events().post(aboutVm ? EventCategory.VM : EventCategory.HOST, aboutVm ? event.vm() : host, "hypervisor",
                    "host '" + host + "': " + event.message());
            return;
        }
        VmState current = vm.get().state();
        VmState reported = event.state();
        // A reported move the machine allows is applied; so is any report that the VM no
        // longer holds resources, which the hypervisor knows better than we do. Anything else
        // (e.g. STARTING after we already saw RUNNING) is an echo of an older step.
        boolean released = current.isActive() && !reported.isActive();
        if (current != reported && (VmLifecycle.allows(current, reported) || released)) {
            inventory.changeState(vm.get(), reported, "VM '" + event.vm() + "' is " + reported + " on host '" + host
                    + "', reported by hypervisor '" + attachment.hypervisorName() + "': " + event.message());
        } else if (announce) {
            inventory.events().post(EventCategory.VM, event.vm(), "hypervisor", "host '" + host + "': " + event.message());
        } else if (current != reported) {
            LOG.fine(() -> "ignoring " + event + ": VM '" + event.vm() + "' is already " + current);
        }
    }

    private interface HypervisorCall<T> {
        T call();
    }

    private static <T> T call(HostSpec spec, String what, HypervisorCall<T> call) {
        try {
            return call.call();
        } catch (HypervisorException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new HypervisorException("cannot " + what + " host '" + spec.name() + "' with hypervisor '" + spec.hypervisor()
                    + "': " + e, e);
        }
    }
}
