package org.vireo.core.inventory;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.vireo.api.inventory.ConflictException;
import org.vireo.api.inventory.EventCategory;
import org.vireo.api.inventory.HostAdminService;
import org.vireo.api.inventory.HostService;
import org.vireo.api.inventory.HostView;
import org.vireo.api.model.Check;
import org.vireo.api.model.HostSpec;
import org.vireo.core.store.VmDocument;

/** The {@link HostAdminService}: adds hosts (attaching them to their hypervisor) and removes empty ones. */
@Component(service = {HostAdminService.class, HostService.class})
public final class HostManager implements HostAdminService {
    private final Inventory inventory;

    /** @param inventory the inventory */
    @Activate
    public HostManager(@Reference Inventory inventory) {
        this.inventory = inventory;
    }

    @Override
    public List<HostView> hosts() {
        return inventory.hostDocuments().stream().map(inventory.views()::host).collect(Collectors.toList());
    }

    @Override
    public Optional<HostView> findHost(String name) {
        return inventory.findHost(name).map(inventory.views()::host);
    }

    @Override
    public HostView host(String name) {
        return inventory.views().host(inventory.host(name));
    }

    @Override
    public HostView addHost(HostSpec spec) {
        Check.present("host", spec);
        return inventory.locked(() -> {
            if (inventory.findHost(spec.name()).isPresent()) {
                throw new ConflictException("a host named '" + spec.name() + "' exists already");
            }
            if (inventory.hostDirectoryExists(spec.name())) {
                throw new ConflictException("cannot add host '" + spec.name() + "': its directory exists but holds no readable "
                        + "definition (see the load problems); it is kept as it is: repair or move it first");
            }
            Attacher attacher = inventory.attacher();
            attacher.requireInstalled(spec);
            attacher.attach(spec);
            try {
                inventory.saveNewHost(spec);
            } catch (RuntimeException e) {
                attacher.release(spec.name());
                throw e;
            }
            inventory.events().post(EventCategory.HOST, spec.name(), "added", "host '" + spec.name() + "' added to cluster '"
                    + spec.cluster() + "': " + spec.cores() + " cores x " + spec.mhzPerCore() + " MHz, " + spec.memoryMiB()
                    + " MiB, " + spec.type().id() + " type, hypervisor '" + spec.hypervisor() + "'");
            return inventory.views().host(inventory.host(spec.name()));
        });
    }

    @Override
    public void removeHost(String name) {
        inventory.locked(() -> {
            inventory.host(name);
            List<String> placed = inventory.vmsOn(name).stream().map(VmDocument::name).collect(Collectors.toList());
            if (!placed.isEmpty()) {
                throw new ConflictException("cannot remove host '" + name + "': VMs are placed on it: " + String.join(", ", placed)
                        + " (destroy them first)");
            }
            List<String> pending = inventory.pendingOn(name);
            if (!pending.isEmpty()) {
                throw new ConflictException("cannot remove host '" + name + "': VMs are being placed on it (" + String.join(", ", pending)
                        + ")");
            }
            inventory.deleteHost(name);
            inventory.attacher().release(name);
            inventory.events().post(EventCategory.HOST, name, "removed", "host '" + name + "' removed");
        });
    }
}
