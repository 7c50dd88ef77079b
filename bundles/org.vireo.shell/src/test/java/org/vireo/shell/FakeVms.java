package org.vireo.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.vireo.api.inventory.ConflictException;
import org.vireo.api.inventory.NotFoundException;
import org.vireo.api.inventory.VmAdminService;
import org.vireo.api.inventory.VmView;
import org.vireo.api.model.CpuQos;
import org.vireo.api.model.MemoryQos;
import org.vireo.api.model.VmSpec;
import org.vireo.api.model.VmState;

/** An in-memory VM inventory that records the calls made to it, arguments included. */
final class FakeVms implements VmAdminService {
    final Map<String, VmView> vms = new TreeMap<>();
    final List<String> calls = new ArrayList<>();
    VmSpec lastSpec;
    String lastHost;

    @Override
    public VmView create(VmSpec spec, String host) {
        calls.add("create " + spec.name() + " " + host);
        if (vms.containsKey(spec.name())) {
            throw new ConflictException("VM " + spec.name() + " exists");
        }
        lastSpec = spec;
        lastHost = host;
        return put(Samples.defined(spec, host == null ? "h1" : host));
    }

    @Override
    public VmView start(String name) {
        calls.add("start " + name);
        return put(Samples.running(vm(name).spec(), vm(name).host()));
    }

    @Override
    public VmView stop(String name, boolean force) {
        calls.add("stop " + name + (force ? " force" : ""));
        return state(name, VmState.STOPPED);
    }

    @Override
    public VmView pause(String name) {
        calls.add("pause " + name);
        return state(name, VmState.PAUSED);
    }

    @Override
    public VmView resume(String name) {
        calls.add("resume " + name);
        return state(name, VmState.RUNNING);
    }

    @Override
    public VmView crash(String name) {
        calls.add("crash " + name);
        return state(name, VmState.CRASHED);
    }

    @Override
    public void destroy(String name) {
        calls.add("destroy " + name);
        vm(name);
        vms.remove(name);
    }

    @Override
    public VmView setCpuQos(String name, CpuQos qos) {
        calls.add("setCpuQos " + name);
        VmView v = vm(name);
        return put(new VmView(v.spec().withCpu(qos), v.host(), v.state(), v.directory(), v.live()));
    }

    @Override
    public VmView setMemoryQos(String name, MemoryQos qos) {
        calls.add("setMemoryQos " + name);
        VmView v = vm(name);
        return put(new VmView(v.spec().withMemory(qos), v.host(), v.state(), v.directory(), v.live()));
    }

    @Override
    public String exportVm(String name, String directory) {
        calls.add("export " + name + " " + directory);
        vm(name);
        return "/abs/" + directory;
    }

    @Override
    public VmView importVm(String directory, String newName) {
        calls.add("import " + directory + " " + newName);
        String name = newName == null ? "imported" : newName;
        return put(Samples.defined(VmSpec.of(name, 1, 512), "h1"));
    }

    @Override
    public VmView cloneVm(String source, String newName, boolean linked) {
        calls.add("clone " + source + " " + newName + (linked ? " linked" : ""));
        VmView src = vm(source);
        return put(Samples.defined(src.spec().withName(newName), src.host()));
    }

    @Override
    public List<VmView> vms() {
        return List.copyOf(vms.values());
    }

    @Override
    public Optional<VmView> findVm(String name) {
        return Optional.ofNullable(vms.get(name));
    }

    @Override
    public VmView vm(String name) {
        return findVm(name).orElseThrow(() -> new NotFoundException("no VM " + name));
    }

    @Override
    public List<String> loadProblems() {
        return List.of();
    }

    private VmView state(String name, VmState state) {
        VmView v = vm(name);
        return put(new VmView(v.spec(), v.host(), state, v.directory(), state.isActive() ? v.live() : null));
    }

    private VmView put(VmView v) {
        vms.put(v.name(), v);
        return v;
    }
}
