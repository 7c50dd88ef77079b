package org.vireo.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.vireo.api.inventory.ConflictException;
import org.vireo.api.inventory.HostAdminService;
import org.vireo.api.inventory.HostView;
import org.vireo.api.inventory.NotFoundException;
import org.vireo.api.model.HostSpec;

/** An in-memory host inventory that records the changes asked of it. */
final class FakeHosts implements HostAdminService {
    final Map<String, HostView> hosts = new TreeMap<>();
    final List<String> calls = new ArrayList<>();

    @Override
    public HostView addHost(HostSpec spec) {
        calls.add("add " + spec.name());
        if (hosts.containsKey(spec.name())) {
            throw new ConflictException("host " + spec.name() + " exists");
        }
        HostView view = Samples.attached(spec, List.of());
        hosts.put(spec.name(), view);
        return view;
    }

    @Override
    public void removeHost(String name) {
        calls.add("remove " + name);
        host(name);
        hosts.remove(name);
    }

    @Override
    public List<HostView> hosts() {
        return List.copyOf(hosts.values());
    }

    @Override
    public Optional<HostView> findHost(String name) {
        return Optional.ofNullable(hosts.get(name));
    }

    @Override
    public HostView host(String name) {
        return findHost(name).orElseThrow(() -> new NotFoundException("no host " + name + "; hosts: " + hosts.keySet()));
    }
}
