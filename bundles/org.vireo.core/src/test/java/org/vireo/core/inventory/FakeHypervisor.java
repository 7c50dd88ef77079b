package org.vireo.core.inventory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
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

/** A hypervisor that keeps VMs in maps, records every call and emits the events a test asks for. */
final class FakeHypervisor implements Hypervisor {
    final List<String> calls = new CopyOnWriteArrayList<>();
    final Map<String, HostSpec> hosts = new LinkedHashMap<>();
    final Map<String, TypeProfile> profiles = new HashMap<>();
    final Map<String, Map<String, VmSnapshot>> running = new HashMap<>();
    final List<HypervisorEvent> events = new ArrayList<>();
    VmState startState = VmState.STARTING;
    RuntimeException failNext;
    double demandMhz;
    long freePages;
    volatile CountDownLatch polled = new CountDownLatch(0);
    /** Runs inside {@link #attachHost} with the host's name, e.g. to emit what a re-attach reports. */
    Consumer<String> whileAttaching = host -> { };

    private void maybeFail() {
        RuntimeException failure = failNext;
        failNext = null;
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public synchronized HostSnapshot attachHost(HostSpec host, TypeProfile profile) {
        calls.add("attach " + host.name());
        maybeFail();
        hosts.put(host.name(), host);
        profiles.put(host.name(), profile);
        running.computeIfAbsent(host.name(), h -> new LinkedHashMap<>());
        whileAttaching.accept(host.name());
        return snapshot(host.name());
    }

    @Override
    public synchronized void detachHost(String host) {
        calls.add("detach " + host);
        hosts.remove(host);
    }

    @Override
    public synchronized VmSnapshot start(String host, VmSpec vm, String directory) {
        calls.add("start " + vm.name() + " in " + directory);
        maybeFail();
        VmSnapshot snapshot = snapshot(vm, startState);
        running.get(host).put(vm.name(), snapshot);
        return snapshot;
    }

    @Override
    public synchronized void stop(String host, String vm, boolean force) {
        calls.add("stop " + vm + (force ? " force" : ""));
        maybeFail();
        running.get(host).remove(vm);
    }

    @Override
    public synchronized void pause(String host, String vm) {
        calls.add("pause " + vm);
        maybeFail();
        set(host, vm, VmState.PAUSED);
    }

    @Override
    public synchronized void resume(String host, String vm) {
        calls.add("resume " + vm);
        maybeFail();
        set(host, vm, VmState.RUNNING);
    }

    @Override
    public synchronized void crash(String host, String vm) {
        calls.add("crash " + vm);
        maybeFail();
        running.get(host).remove(vm);
    }

    @Override
    public synchronized void reconfigure(String host, VmSpec vm) {
        calls.add("reconfigure " + vm.name());
        maybeFail();
        VmSnapshot old = running.get(host).get(vm.name());
        running.get(host).put(vm.name(), snapshot(vm, old.state()));
    }

    @Override
    public synchronized HostSnapshot snapshot(String host) {
        HostSpec spec = hosts.get(host);
        if (spec == null) {
            throw new HypervisorException("host '" + host + "' is not attached to the fake hypervisor");
        }
        return new HostSnapshot(spec, profiles.get(host), 0, 0, freePages, 0, new ArrayList<>(running.get(host).values()), "fake");
    }

    @Override
    public synchronized List<HypervisorEvent> events(String host, long afterSequence) {
        polled.countDown();
        List<HypervisorEvent> newer = new ArrayList<>();
        for (HypervisorEvent e : events) {
            if (e.host().equals(host) && e.sequence() > afterSequence) {
                newer.add(e);
            }
        }
        return newer;
    }

    /** Something happens on its own: the VM takes the state and an event reports it. */
    synchronized void emit(String host, String vm, VmState state, String message) {
        if (vm != null && state != null) {
            if (state.isActive()) {
                VmSnapshot old = running.get(host).get(vm);
                running.get(host).put(vm, snapshot(old.spec(), state));
            } else {
                running.get(host).remove(vm);
            }
        }
        long sequence = events.stream().filter(e -> e.host().equals(host)).count() + 1;
        events.add(new HypervisorEvent(sequence, 0, host, vm, state, message));
    }

    /** Reports {@code vm} on the host as it is, e.g. with figures, or a domain core did not start. */
    synchronized void put(String host, VmSnapshot vm) {
        running.get(host).put(vm.name(), vm);
    }

    private void set(String host, String vm, VmState state) {
        VmSnapshot old = running.get(host).get(vm);
        running.get(host).put(vm, snapshot(old.spec(), state));
    }

    private VmSnapshot snapshot(VmSpec vm, VmState state) {
        return new VmSnapshot(vm, state, new CpuFigures(demandMhz, 0, 0, 0, 0), MemoryFigures.none(vm.memoryMiB()), IoFigures.NONE, "fake");
    }
}
