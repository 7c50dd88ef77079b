package org.vireo.core.inventory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.vireo.api.hypervisor.HostSnapshot;
import org.vireo.api.hypervisor.HypervisorType;
import org.vireo.api.hypervisor.TypeProfile;
import org.vireo.api.hypervisor.VmSnapshot;
import org.vireo.api.inventory.HostView;
import org.vireo.api.inventory.VmView;
import org.vireo.api.model.HostSpec;
import org.vireo.core.store.HostDocument;
import org.vireo.core.store.VmDocument;

/** Builds the views the services return: saved definitions plus the hypervisors' figures at call time. */
final class Views {
    private static final Logger LOG = Logger.getLogger(Views.class.getName());

    private final Inventory inventory;

    Views(Inventory inventory) {
        this.inventory = inventory;
    }

    /**
     * @param document a host
     * @return its view, with the hypervisor's snapshot taken now
     */
    HostView host(HostDocument document) {
        HostSpec spec = document.host();
        TypeProfile profile = inventory.types().get(spec.type().id()).map(t -> profile(t.service(), spec)).orElse(null);
        HostSnapshot live = null;
        Attacher attacher = inventory.attacher();
        String problem = attacher.problem(spec);
        Optional<Attacher.Attachment> attachment = attacher.attachment(spec.name());
        if (attachment.isPresent()) {
            try {
                live = attachment.get().hypervisor().snapshot(spec.name());
            } catch (RuntimeException e) {
                problem = "hypervisor '" + spec.hypervisor() + "' cannot report it: " + e.getMessage();
            }
        }
        List<String> names = inventory.vmsOn(spec.name()).stream().map(VmDocument::name).collect(Collectors.toList());
        return new HostView(spec, profile, live, names, problem);
    }

    /**
     * @param documents some VMs
     * @return their views, with one snapshot per attached host taken now
     */
    List<VmView> vms(List<VmDocument> documents) {
        Map<String, Optional<HostSnapshot>> snapshots = new HashMap<>();
        List<VmView> views = new ArrayList<>(documents.size());
        for (VmDocument vm : documents) {
            VmSnapshot live = null;
            if (vm.state().isActive() && !privileged(vm)) {
                live = snapshots.computeIfAbsent(vm.host(), this::snapshot).flatMap(s -> s.vm(vm.name())).orElse(null);
            }
            views.add(new VmView(vm.vm(), vm.host(), vm.state(), inventory.data().vm(vm.name()).toString(), live));
        }
        return views;
    }

    /**
     * @param document a VM
     * @return its view
     */
    VmView vm(VmDocument document) {
        return vms(List.of(document)).get(0);
    }

    /** A VM of the inventory never takes the figures of its host's privileged domain. */
    private boolean privileged(VmDocument vm) {
        return inventory.attacher().attachment(vm.host()).map(a -> a.privileged(vm.name())).orElse(false);
    }

    private Optional<HostSnapshot> snapshot(String host) {
        return inventory.attacher().attachment(host).flatMap(a -> {
            try {
                return Optional.ofNullable(a.hypervisor().snapshot(host));
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "no snapshot of host '" + host + "': " + e, e);
                return Optional.empty();
            }
        });
    }

    private static TypeProfile profile(HypervisorType type, HostSpec spec) {
        try {
            return type.profile(spec);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "hypervisor type '" + spec.type().id() + "' cannot profile host '" + spec.name() + "': " + e, e);
            return null;
        }
    }
}
