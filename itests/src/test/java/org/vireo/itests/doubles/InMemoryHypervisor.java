package org.vireo.itests.doubles;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.vireo.api.hypervisor.CpuFigures;
import org.vireo.api.hypervisor.HostSnapshot;
import org.vireo.api.hypervisor.Hypervisor;
import org.vireo.api.hypervisor.HypervisorEvent;
import org.vireo.api.hypervisor.HypervisorException;
import org.vireo.api.hypervisor.IoFigures;
import org.vireo.api.hypervisor.MemoryFigures;
import org.vireo.api.hypervisor.TypeProfile;
import org.vireo.api.hypervisor.VmSnapshot;
import org.vireo.api.model.HostSpec;
import org.vireo.api.model.VmSpec;
import org.vireo.api.model.VmState;

/**
 * A hypervisor that only keeps books. Its guests live in a {@link Machines} object that several
 * instances may share, the way a restarted or updated hypervisor finds the VM processes its
 * predecessor left running and reports them when it attaches.
 */
public final class InMemoryHypervisor implements Hypervisor {
    /** The guests, per host: what outlives one hypervisor instance. */
    public static final class Machines {
        private final Map<String, Map<String, VmSnapshot>> hosts = new ConcurrentHashMap<>();

        Map<String, VmSnapshot> on(String host) {
            return hosts.computeIfAbsent(host, h -> new ConcurrentHashMap<>());
        }
    }

    private final String label;
    private final Machines machines;
    private final Map<String, HostSpec> attached = new ConcurrentHashMap<>();
    private final Map<String, TypeProfile> profiles = new ConcurrentHashMap<>();
    private final AtomicInteger attaches = new AtomicInteger();

    /**
     * @param label shown in every snapshot's detail, to tell instances apart
     * @param machines the guests it drives
     */
    public InMemoryHypervisor(String label, Machines machines) {
        this.label = label;
        this.machines = machines;
    }

    @Override
    public HostSnapshot attachHost(HostSpec host, TypeProfile profile) {
        attaches.incrementAndGet();
        attached.put(host.name(), host);
        profiles.put(host.name(), profile);
        return snapshot(host.name());
    }

    @Override
    public void detachHost(String host) {
        attached.remove(host);
    }

    @Override
    public VmSnapshot start(String host, VmSpec vm, String directory) {
        VmSnapshot running = guest(vm, VmState.RUNNING);
        machines.on(checked(host)).put(vm.name(), running);
        return running;
    }

    @Override
    public void stop(String host, String vm, boolean force) {
        machines.on(checked(host)).remove(vm);
    }

    @Override
    public void pause(String host, String vm) {
        change(host, vm, VmState.PAUSED);
    }

    @Override
    public void resume(String host, String vm) {
        change(host, vm, VmState.RUNNING);
    }

    @Override
    public void crash(String host, String vm) {
        machines.on(checked(host)).remove(vm);
    }

    @Override
    public void reconfigure(String host, VmSpec vm) {
        machines.on(checked(host)).computeIfPresent(vm.name(), (name, old) -> guest(vm, old.state()));
    }

    @Override
    public HostSnapshot snapshot(String host) {
        HostSpec spec = attached.get(checked(host));
        List<VmSnapshot> vms = new ArrayList<>(machines.on(host).values());
        long used = vms.stream().mapToLong(v -> v.spec().memoryMiB()).sum() * MemoryFigures.PAGES_PER_MIB;
        long free = Math.max(0, spec.memoryMiB() * MemoryFigures.PAGES_PER_MIB - used);
        return new HostSnapshot(spec, profiles.get(host), 0, 0, free, 0, vms, label);
    }

    @Override
    public List<HypervisorEvent> events(String host, long afterSequence) {
        return List.of();
    }

    /** @return how many times a host was attached to this instance */
    public int attaches() {
        return attaches.get();
    }

    private VmSnapshot guest(VmSpec vm, VmState state) {
        return new VmSnapshot(vm, state, CpuFigures.NONE, MemoryFigures.none(vm.memoryMiB()), IoFigures.NONE, label);
    }

    private void change(String host, String vm, VmState state) {
        if (machines.on(checked(host)).computeIfPresent(vm, (name, old) -> guest(old.spec(), state)) == null) {
            throw new HypervisorException("host " + host + " runs no VM " + vm);
        }
    }

    private String checked(String host) {
        if (!attached.containsKey(host)) {
            throw new HypervisorException("host " + host + " is not attached to hypervisor " + label);
        }
        return host;
    }
}
